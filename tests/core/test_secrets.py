"""Write-only secrets: stored as keyed digests that match the secret but never reveal it."""

from hypothesis import given
from hypothesis import strategies as st

from core.secrets import secret_digest, secret_matches


@given(secret=st.text(min_size=1, max_size=40), other=st.text(max_size=40))
def test_digest_matches_only_its_secret_and_never_contains_it(secret, other):
    digest = secret_digest(secret)

    assert secret_matches(secret, digest)
    assert secret_matches(other, digest) == (other == secret)
    assert len(digest) == 64
    assert secret not in digest or len(secret) < 8  # a short hex string may occur by chance


def test_empty_digest_never_matches():
    assert not secret_matches("", "")
