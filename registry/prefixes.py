"""Prefixes as index keys: (network bytes, length), the keys that cover a prefix and the range of its more-specifics."""

WIDTH = {4: 4, 6: 16}


def covering_keys(network) -> list[tuple[int, bytes]]:
    """(network bytes, length) of the prefix itself and of every less-specific prefix containing it."""
    bits = network.max_prefixlen
    address = int(network.network_address)
    width = WIDTH[network.version]
    keys = []
    for length in range(network.prefixlen + 1):
        mask = ((1 << length) - 1) << (bits - length)
        keys.append(((address & mask).to_bytes(width, "big"), length))
    return keys


def more_specific_range(network) -> tuple[bytes, bytes]:
    """Network bytes of the first and last address inside the prefix: more-specifics start in between."""
    width = WIDTH[network.version]
    return (
        int(network.network_address).to_bytes(width, "big"),
        int(network.broadcast_address).to_bytes(width, "big"),
    )
