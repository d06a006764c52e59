"""HTTP side of the benchmark: log in, read the bench headers, and run the load test.

Only ever aimed at 127.0.0.1: `local_url` refuses anything else.
"""

import random
import re
import statistics
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests

HTMX = {"HX-Request": "true"}
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FINGERPRINT = re.compile(r'id="live-v" name="v" value="([^"]+)"')


def local_url(url: str) -> str:
    if urlsplit(url).hostname != "127.0.0.1":
        raise ValueError(f"The benchmark only ever talks to 127.0.0.1, not {url}.")
    return url.rstrip("/")


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else float("nan")


def logged_in_session(base: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=30)
    token = CSRF_INPUT.search(page.text).group(1)
    answer = session.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=30,
    )
    if "sessionid" not in session.cookies:
        raise RuntimeError(f"Logging in as {username} failed ({answer.status_code}).")
    return session


def fingerprint(session, url) -> str:
    return FINGERPRINT.search(session.get(url, timeout=30).text).group(1)


@dataclass
class Measurement:
    name: str
    server_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    statuses: set[int] = field(default_factory=set)

    @property
    def median(self):
        return statistics.median(self.server_ms)

    @property
    def p95(self):
        return percentile(self.server_ms, 0.95)

    @property
    def query_count(self) -> str:
        low, high = min(self.queries), max(self.queries)
        return str(low) if low == high else f"{low}-{high}"


def measure(session, name, url, *, rounds, warmup=3, headers=None) -> Measurement:
    """Request `url` one at a time and keep the server's own timing and query count for each answer."""
    result = Measurement(name)
    for number in range(warmup + rounds):
        response = session.get(url, headers=headers or {}, timeout=60, allow_redirects=False)
        if number < warmup:
            continue
        result.statuses.add(response.status_code)
        result.server_ms.append(float(response.headers["Server-Timing"].split("dur=")[1]))
        result.queries.append(int(response.headers["X-Query-Count"]))
    return result


@dataclass
class LoadResult:
    seconds: float
    latencies_ms: list[float]
    errors: dict[str, int]
    by_kind: dict[str, int]

    @property
    def requests(self):
        return len(self.latencies_ms)


def _post_order(session, base, circuit_id, order_id):
    url = f"{base}/circuits/{circuit_id}/order/{order_id}/"
    form = session.get(url, timeout=60)
    token = CSRF_INPUT.search(form.text).group(1)
    data = {"status": "ordered", "provider_reference": f"ORD-{circuit_id}", "notes": "Load test update."}
    return form, session.post(
        url, data={**data, "csrfmiddlewaretoken": token}, headers={"Referer": url}, timeout=60, allow_redirects=False
    )


def run_load(base, cookies, targets, *, users=50, seconds=60, think=(0.2, 1.0), seed=1) -> LoadResult:
    """`users` threads, each one a person with the dashboard open, for `seconds` seconds.

    Per action: list 30%, circuit page 25%, live polls 35% (list and circuit), one form post in ten
    (a provider order update: GET the form, POST it, expect the redirect).
    """
    base = local_url(base)
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    latencies, errors, by_kind = [], {}, {}

    def record(kind, started, response, expected):
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            latencies.append(elapsed)
            by_kind[kind] = by_kind.get(kind, 0) + 1
            if response is None or response.status_code not in expected:
                key = f"{kind}: {getattr(response, 'status_code', 'no answer')}"
                errors[key] = errors.get(key, 0) + 1

    def person(number):
        rng = random.Random(seed * 1000 + number)
        session = requests.Session()
        session.cookies.update(cookies)
        seen = {}  # page url -> the fingerprint it was drawn from, as the open tab would poll with

        def view(kind, url):
            answer = session.get(url, timeout=60)
            record(kind, started, answer, {200})
            found = FINGERPRINT.search(answer.text)
            if found:
                seen[url] = found.group(1)

        while time.monotonic() < deadline:
            draw = rng.random()
            started = time.perf_counter()
            try:
                if draw < 0.3 or not seen:
                    view("list", f"{base}/circuits/")
                elif draw < 0.55:
                    view("page", f"{base}/circuits/{rng.choice(targets['circuits'])}/")
                elif draw < 0.9:
                    url = rng.choice(list(seen))
                    answer = session.get(url, params={"v": seen[url]}, headers=HTMX, timeout=60)
                    record("poll", started, answer, {200, 204, 286})
                else:
                    _, answer = _post_order(session, base, *rng.choice(targets["orders"]))
                    record("form", started, answer, {302})
            except requests.RequestException:
                record("error", started, None, set())
            time.sleep(rng.uniform(*think))

    threads = [threading.Thread(target=person, args=(n,), daemon=True) for n in range(users)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 120)
    return LoadResult(time.monotonic() - started, latencies, errors, by_kind)
