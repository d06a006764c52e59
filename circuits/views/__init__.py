"""The circuit views, one module per job: `pages` (list, circuit, create), `live` (the live-poll
protocol), `export` (CSV), `actions` and `peering_actions` (the engineer's actions on a circuit)."""
