"""The hostile-client battery: a reusable kit of bounded attacks (``attacks``),
the listeners it runs against (``listeners``), and the tests (docs/hostile-clients.md)."""
