"""Where two documented paths name one URL, it answers every documented method of both (the
version or test that the other path's word would name does not exist), never a 405."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_urls_two_paths_share_answer_both(bg_admin, flow):
    c, s = bg_admin.client, flow["system"].sid
    assert c.post(f"/autoattendant/system/{s}/version/search/restore").json()["errorCode"] == "671"
    assert c.get(f"/autoattendant/system/{s}/version/search/restore").json()["errorCode"] == "671"
    assert (
        c.put(f"/autoattendant/system/{s}/flowtest/run", {}, format="json").json()["errorCode"]
        == "673"
    )
    assert c.delete(f"/autoattendant/system/{s}/flowtest/search").json()["errorCode"] == "673"
    assert c.post(f"/autoattendant/system/{s}/flowtest/run").status_code == 200
    assert c.get(f"/autoattendant/system/{s}/flowtest/search").status_code == 200
    assert c.get(f"/autoattendant/system/{s}/version/search/2").status_code == 200
