"""A short "browser on system" label for a User-Agent, shown on "Your sessions".

A few ordered substring checks rather than a user-agent database: the label only has to let people
recognise their own devices, and the raw header is never shown (it can be long and spoofed)."""

_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("CrOS", "ChromeOS"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)
# Order matters: Edge and Opera also say Chrome, Chrome also says Safari.
_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
    ("curl/", "curl"),
    ("python-requests/", "Python requests"),
)


def _first_match(user_agent, known):
    return next((label for marker, label in known if marker in user_agent), None)


def device_summary(user_agent):
    browser = _first_match(user_agent, _BROWSERS)
    system = _first_match(user_agent, _SYSTEMS)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Unknown device"
