from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Status
from pydantic import Field

from accounts import services
from accounts.selectors import user_get
from welltrack.actor import client_ip
from welltrack.schemas import CamelSchema, OutSchema

router = Router(tags=["auth"])


class RegisterIn(CamelSchema):
    email: str = Field(max_length=254)
    password: str = Field(max_length=4096)
    name: str = Field(max_length=120)
    time_zone: str = Field(default="UTC", max_length=64)


class UserOut(OutSchema):
    user_id: str
    email: str
    name: str
    time_zone: str
    created_at: datetime
    last_login_at: datetime | None = None


class LoginIn(CamelSchema):
    email: str = Field(max_length=254)
    password: str = Field(max_length=4096)


class LoginOut(OutSchema):
    token: str
    expires_at: datetime
    user: UserOut


class DetailOut(OutSchema):
    detail: str


@router.post("/auth/register", auth=None, response={201: UserOut}, by_alias=True)
def register(request: HttpRequest, payload: RegisterIn):
    services.register_rate_check(ip_address=client_ip(request))
    user = services.user_register(
        email=payload.email,
        password=payload.password,
        name=payload.name,
        time_zone=payload.time_zone,
        ip_address=client_ip(request),
    )
    return Status(201, user)


@router.post("/auth/login", auth=None, response={200: LoginOut, 401: DetailOut, 429: DetailOut}, by_alias=True)
def login(request: HttpRequest, payload: LoginIn):
    try:
        user = services.user_authenticate(email=payload.email, password=payload.password, ip_address=client_ip(request))
    except services.ValidationFailed:
        return Status(401, {"detail": services.BAD_CREDENTIALS_MESSAGE})
    token, expires_at = services.api_token_create(user=user)
    return Status(200, {"token": token, "expires_at": expires_at, "user": user})


@router.post("/auth/logout", response={204: None})
def logout(request: HttpRequest):
    token = getattr(request, "api_token", None)
    if token:
        services.api_token_revoke(token=token)
    else:
        services.user_logout(request=request)
    return Status(204, None)


@router.get("/me", response=UserOut, by_alias=True)
def me(request: HttpRequest):
    return user_get(user_id=request.user.user_id)
