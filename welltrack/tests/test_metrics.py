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
