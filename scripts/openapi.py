"""Write docs/openapi.json from the routes (`make openapi`); a test fails when it drifts."""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "shared"))
sys.path.insert(0, str(REPO))

from devstack.template import public_operations  # noqa: E402
from dualcredit.http.app import openapi_json  # noqa: E402

if __name__ == "__main__":
    (REPO / "docs" / "openapi.json").write_text(
        openapi_json(public_operations()) + "\n", encoding="utf-8"
    )
    print("wrote docs/openapi.json")
