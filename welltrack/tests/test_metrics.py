from welltrack.dynamodb import counting_requests


def test_metrics_headers_count_the_dynamodb_requests_of_a_page(client_for, user, settings):
    settings.WELLTRACK_DB_METRICS_HEADERS = True
    response = client_for(user).get("/accounts/profile/")
    # the session item (which carries the user's name and zone) and the stored user the profile form edits
    assert response["X-DynamoDB-Requests"] == "2"
    assert float(response["X-DynamoDB-Read-Units"]) > 0


def test_no_metrics_headers_unless_enabled(client):
    assert "X-DynamoDB-Requests" not in client.get("/health")


def test_counting_requests_counts_nested_blocks_into_the_outer_one(user):
    from accounts.selectors import user_get

    with counting_requests() as outer:
        user_get(user_id=user.user_id)
        with counting_requests() as inner:
            user_get(user_id=user.user_id)
    assert (inner["requests"], outer["requests"]) == (1, 2)


def _fan_out_view(user_ids):
    from django.http import HttpResponse

    from accounts.selectors import user_get
    from welltrack.concurrency import ContextThreadPoolExecutor

    def view(request):
        # As the dashboard's stages part does: one read per item, in parallel.
        with ContextThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(lambda user_id: user_get(user_id=user_id), user_ids))
        return HttpResponse("ok")

    return view


def test_a_page_whose_queries_run_in_a_thread_pool_reports_them(make_user, rf, settings):
    from welltrack.middleware import RequestContextMiddleware

    settings.WELLTRACK_DB_METRICS_HEADERS = True
    user_ids = [make_user().user_id for _ in range(5)]
    response = RequestContextMiddleware(_fan_out_view(user_ids))(rf.get("/fan-out/"))
    assert response["X-DynamoDB-Requests"] == "5"
    assert float(response["X-DynamoDB-Read-Units"]) >= 2.5  # five eventually consistent reads, 0.5 each at least


def test_concurrent_requests_count_only_their_own_pool_queries(make_user, rf, settings):
    # Two requests served at the same time by two threads (runserver, a threaded worker):
    # each counts its own pool's reads, not the other's.
    from concurrent.futures import ThreadPoolExecutor

    from welltrack.middleware import RequestContextMiddleware

    settings.WELLTRACK_DB_METRICS_HEADERS = True
    user_ids = [make_user().user_id for _ in range(6)]
    pages = {"two": user_ids[:2], "six": user_ids}
    with ThreadPoolExecutor(max_workers=2) as server:
        responses = dict(
            zip(
                pages,
                server.map(
                    lambda ids: RequestContextMiddleware(_fan_out_view(ids))(rf.get("/fan-out/")), pages.values()
                ),
                strict=True,
            )
        )
    assert (responses["two"]["X-DynamoDB-Requests"], responses["six"]["X-DynamoDB-Requests"]) == ("2", "6")


def test_a_query_run_in_background_is_counted_and_awaited_even_when_the_block_fails(user):
    import threading

    import pytest

    from accounts.selectors import user_get
    from welltrack.concurrency import in_background

    done = threading.Event()

    def read():
        user_get(user_id=user.user_id)
        done.set()

    with counting_requests() as counter:
        with pytest.raises(RuntimeError), in_background(read):
            raise RuntimeError("the request failed while its second query was in flight")
        assert done.is_set()
    assert counter["requests"] == 1
