"""The task engine: runs notification tasks over the channels, keeps progress, reports."""
