"""API list page cost against the raw SQL fetch of the same rows, first page and deep page.

Targets (DESIGN §7): a 50-row page ≤ 3× the raw SQL fetch; query count independent of page size;
a page at depth N (keyset cursor) ≤ 1.5× the first page.

    .venv/bin/python -m tests.benchmarks.bench_api_list --rows 1000000
"""

from __future__ import annotations

import argparse

from tests.benchmarks.common import median_time, populate, setup_django

# The same rows and columns the list endpoint returns (api.serializers.CandidateListSerializer).
RAW_SQL = (
    "SELECT c.id, c.full_name, c.gender, c.date_of_birth, c.province_code, c.organization_id, o.name, c.stage, "
    "c.updated_at FROM talent_candidate c JOIN talent_organization o ON o.id = c.organization_id "
    "WHERE c.id > %s ORDER BY c.id LIMIT 51"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    setup_django(args.fresh)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from talent.models import Candidate

    total = populate(args.rows)
    admin, _ = get_user_model().objects.get_or_create(username="bench-admin", defaults={"is_superuser": True})
    client = APIClient()
    client.force_authenticate(admin)
    client.defaults["SERVER_NAME"] = "127.0.0.1"

    def api(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        assert response.data["results"]

    def raw(after: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute(RAW_SQL, [after])
            assert cursor.fetchall()

    deep_id = Candidate.objects.order_by("id").values_list("id", flat=True)[total - 100]
    # The cursor DRF's CursorPagination issues for "position after id N" (base64 of its query string).
    from base64 import b64encode
    from urllib.parse import urlencode

    deep_cursor = b64encode(urlencode({"p": deep_id}).encode()).decode()

    first_api = median_time(lambda: api("/api/v1/candidates/?page_size=50"))
    first_raw = median_time(lambda: raw(0))
    deep_api = median_time(lambda: api(f"/api/v1/candidates/?page_size=50&cursor={deep_cursor}"))
    with CaptureQueriesContext(connection) as small:
        api("/api/v1/candidates/?page_size=5")
    with CaptureQueriesContext(connection) as large:
        api("/api/v1/candidates/?page_size=500")

    print(f"API list over {total:,} candidates")
    print(f"  first page: API {first_api * 1000:.2f} ms, raw SQL {first_raw * 1000:.2f} ms, "
          f"ratio {first_api / first_raw:.2f}× (target ≤ 3×)")
    print(f"  depth {total - 100:,}: API {deep_api * 1000:.2f} ms, ratio to first page "
          f"{deep_api / first_api:.2f}× (target ≤ 1.5×)")
    print(f"  queries: page_size=5 → {len(small.captured_queries)}, page_size=500 → {len(large.captured_queries)}")


if __name__ == "__main__":
    main()
