import gc

import pytest

from kithkin.lib.collector import collector_paused


def test_the_collector_is_off_in_the_block_and_back_on_after() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # an inner block leaves it as the outer one wants it
    assert gc.isenabled()


def test_the_collector_comes_back_on_when_the_block_fails() -> None:
    with pytest.raises(ValueError), collector_paused():
        raise ValueError
    assert gc.isenabled()
