"""Domain errors shared by every app, and the mapping from DynamoDB failures to them.

Services raise these; views turn them into form errors or status codes, the API into
JSON (welltrack/api.py), and DependencyFailureMiddleware turns an unreachable or
throttled DynamoDB into a 503 page.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from botocore.exceptions import BotoCoreError, ClientError
from pynamodb.exceptions import PynamoDBException, TransactWriteError

STALE_MESSAGE = "This was changed by someone else since you opened it. Review the current values and try again."

THROTTLING_CODES = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
    "TransactionInProgressException",
}


class DomainError(Exception):
    status_code = 400
    default_message = "The request could not be completed."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)


class NotFound(DomainError):
    status_code = 404
    default_message = "Not found."


class NotAuthenticated(DomainError):
    """The API request's session turned out to have ended (accounts.middleware.defer_session_check)."""

    status_code = 401
    default_message = "Authentication required: send a bearer token or sign in."


class Forbidden(DomainError):
    status_code = 403
    default_message = "Your role in this organization does not allow that."


class Conflict(DomainError):
    """A conditional write failed: a stale version, a duplicate, a race lost."""

    status_code = 409
    default_message = STALE_MESSAGE


class Gone(DomainError):
    status_code = 410
    default_message = "This link has expired or has already been used."


class RateLimited(DomainError):
    status_code = 429
    default_message = "Too many attempts. Please wait a few minutes and try again."

    def __init__(self, message: str | None = None, retry_after: int = 60) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ValidationFailed(DomainError):
    """Bad input, with a message per field (the key ``__all__`` for the form as a whole)."""

    status_code = 422
    default_message = "Please correct the errors below."

    def __init__(self, errors: dict[str, str] | str, message: str | None = None) -> None:
        if isinstance(errors, str):
            errors = {"__all__": errors}
        self.errors = errors
        super().__init__(message or "; ".join(f"{k}: {v}" if k != "__all__" else v for k, v in errors.items()))


class DependencyUnavailable(DomainError):
    status_code = 503
    default_message = "The database is not answering right now. A change you were saving may not have been saved: reload to check, then try again."

    def __init__(self, message: str | None = None, dependency: str = "dynamodb") -> None:
        super().__init__(message)
        self.dependency = dependency


def _error_code(exc: BaseException) -> str | None:
    # PynamoDB's own cause_response_code fails when the cause has ``response = None`` (timeouts).
    source = exc.cause if isinstance(exc, PynamoDBException) else exc
    response = getattr(source, "response", None)
    if isinstance(response, dict):
        return (response.get("Error") or {}).get("Code")
    return None


def is_dependency_failure(exc: BaseException) -> bool:
    """True when DynamoDB was unreachable or kept throttling after botocore's retries."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, BotoCoreError):
            return True
        if _error_code(current) in THROTTLING_CODES:
            return True
        if isinstance(current, TransactWriteError) and current.cancellation_reasons:
            codes = {r.code for r in current.cancellation_reasons if r is not None}
            if codes & {"ThrottlingError", "ProvisionedThroughputExceeded"}:
                return True
        current = getattr(current, "cause", None) or current.__cause__ or current.__context__
    return False


def condition_failed(exc: BaseException) -> bool:
    """True when a conditional write or a transaction was refused by its conditions."""
    code = _error_code(exc)
    if code == "ConditionalCheckFailedException":
        return True
    if code == "TransactionCanceledException":
        reasons = getattr(exc, "cancellation_reasons", None) or []
        # Entries are None for the items whose condition held.
        return any(r is not None and r.code in {"ConditionalCheckFailed", "TransactionConflict"} for r in reasons)
    return False


def _is_invalid_key(exc: BaseException) -> bool:
    source = exc.cause if isinstance(exc, PynamoDBException) else exc
    response = getattr(source, "response", None)
    if not isinstance(response, dict):
        return False
    error = response.get("Error") or {}
    message = str(error.get("Message", "")).lower()
    return error.get("Code") == "ValidationException" and "key" in message


@contextmanager
def dynamo_errors(conflict_message: str = STALE_MESSAGE) -> Iterator[None]:
    """Translate a failed conditional write into Conflict and an unreachable DynamoDB into DependencyUnavailable."""
    try:
        yield
    except (PynamoDBException, ClientError, BotoCoreError) as exc:
        if condition_failed(exc):
            raise Conflict(conflict_message) from exc
        if is_dependency_failure(exc):
            raise DependencyUnavailable() from exc
        if _is_invalid_key(exc):
            raise NotFound() from exc  # an id that cannot be a key (empty, too long) names nothing
        raise
