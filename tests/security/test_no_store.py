"""No cache keeps a copy of anything but static assets: every page, download and API answer of
every route in the URL map is `Cache-Control: no-store`, for every role and for the patient."""

# The tablet's locked screen signs the browser out: only the signed-out browser reads it.
SIGNS_OUT = ("/q/tablet/locked",)


def _cache_control(response) -> str:
    value = response.headers.get("Cache-Control")
    response.close()
    return value


def test_every_page_download_and_api_answer_is_no_store_and_only_static_assets_are_cached(world):
    paths = world.pages_to_read()
    assert "/audit/export.csv" in paths and any(path.startswith("/q/") for path in paths)
    seen = set()
    for role, client in world.clients.items():
        for path in paths:
            if path.startswith("/static/") or (role != "anonymous" and path.startswith(SIGNS_OUT)):
                continue
            response = client.get(path)
            seen.add((role, response.status_code))
            assert _cache_control(response) == "no-store", (role, path)
    assert {(role, 200) for role in world.clients} <= seen
    response = world.clients["data_manager"].post("/exports/", data={
        "formats": ["csv"], "site": "", "csrf_token": world.csrf("data_manager")})
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert _cache_control(response) == "no-store"
    response = world.clients["anonymous"].get("/api/v1/tables/patients",
                                              headers={"Authorization": f"Bearer {world.api_token()}"})
    assert response.status_code == 200 and _cache_control(response) == "no-store"
    response = world.clients["anonymous"].get("/static/app.css")
    assert response.status_code == 200 and "no-store" not in (_cache_control(response) or "")
