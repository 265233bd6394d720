"""API endpoints for organisations, accounts, the person's own profile and API tokens.

Rows come from ``azad.accounts.access`` and writes go through
``azad.accounts.services``, exactly as for the pages: not visible -> 404,
read-only -> 403, bad input -> 400, concurrent edit -> 409.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.mfa.models import Authenticator
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from azad.accounts import access, services, tokens
from azad.accounts.api.serializers import (
    DetailSerializer,
    OrganisationSerializer,
    PasswordResetSerializer,
    PasswordResultSerializer,
    ProfileSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    UserCreatedSerializer,
    UserCreateSerializer,
    UserSerializer,
)
from azad.accounts.filters import OrganisationFilterSet, UserFilterSet, with_second_factor
from azad.accounts.models import Organisation, User
from azad.audit.services import client_ip, record_event
from azad.core.permissions import Data, Level, can

VERSION_REQUIRED = _("This field is required.")


def _require(request: Request, data: Data, level: Level) -> None:
    if not can(request.user, data, level):
        raise PermissionDenied


def _service[T](call: Callable[[], T]) -> T:
    """Run a service; its rule errors become a 400 with field messages."""
    try:
        return call()
    except DjangoValidationError as error:
        raise serializers.ValidationError(services.error_messages(error)) from None


def _expected_version(serializer: serializers.BaseSerializer) -> int:  # type: ignore[type-arg]
    version = serializer.validated_data.get("version")
    if version is None:
        raise serializers.ValidationError({"version": [str(VERSION_REQUIRED)]})
    return int(version)


def _writable(serializer: serializers.BaseSerializer) -> dict[str, Any]:  # type: ignore[type-arg]
    return {k: v for k, v in serializer.validated_data.items() if k not in {"version", "password"}}


_CONFLICT = OpenApiResponse(
    DetailSerializer, description="Somebody else changed the record since it was read."
)
_BAD = OpenApiResponse(description="Invalid input; nothing was written.")
_FORBIDDEN = OpenApiResponse(DetailSerializer, description="Not allowed for this role.")
_NOT_FOUND = OpenApiResponse(DetailSerializer, description="Not found or not visible.")


@extend_schema_view(
    list=extend_schema(
        summary="List organisations", responses={200: OrganisationSerializer, 403: _FORBIDDEN}
    ),
    retrieve=extend_schema(
        summary="One organisation", responses={200: OrganisationSerializer, 404: _NOT_FOUND}
    ),
    create=extend_schema(
        summary="Add an organisation (system administrators)",
        responses={201: OrganisationSerializer, 400: _BAD, 403: _FORBIDDEN},
    ),
    update=extend_schema(
        summary="Change an organisation (send version)",
        responses={200: OrganisationSerializer, 400: _BAD, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT},
    ),
    partial_update=extend_schema(
        summary="Change some fields of an organisation (send version)",
        responses={200: OrganisationSerializer, 400: _BAD, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT},
    ),
)
class OrganisationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Organisations: every role that reads them; changes by system administrators."""

    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet
    queryset = Organisation.objects.none()  # for the schema; rows come from access

    def get_queryset(self) -> QuerySet[Organisation]:
        return access.visible_organisations(self.request.user)

    def get_object(self) -> Organisation:
        write = self.request.method not in {"GET", "HEAD", "OPTIONS"}
        return access.get_organisation_for_user(self.request.user, self.kwargs["pk"], write=write)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _require(request, Data.ORGANISATIONS, Level.READ)
        return super().list(request, *args, **kwargs)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _require(request, Data.ORGANISATIONS, Level.WRITE)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = _service(
            lambda: services.create_organisation(_writable(serializer), actor=request.user)
        )
        return Response(self.get_serializer(organisation).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        organisation = self.get_object()
        serializer = self.get_serializer(
            organisation, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        version = _expected_version(serializer)
        organisation = _service(
            lambda: services.update_organisation(
                organisation, _writable(serializer), actor=request.user, expected_version=version
            )
        )
        return Response(self.get_serializer(organisation).data)

    @extend_schema(
        summary="Deactivate an organisation and its accounts",
        request=None,
        responses={200: OrganisationSerializer, 400: _BAD, 403: _FORBIDDEN, 404: _NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def deactivate(self, request: Request, pk: str | None = None) -> Response:
        organisation = self.get_object()
        _require(request, Data.ACCOUNTS, Level.WRITE)
        organisation = _service(lambda: services.deactivate_organisation(organisation, actor=request.user))
        return Response(self.get_serializer(organisation).data)

    @extend_schema(
        summary="Reactivate an organisation",
        request=None,
        responses={200: OrganisationSerializer, 400: _BAD, 403: _FORBIDDEN, 404: _NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def reactivate(self, request: Request, pk: str | None = None) -> Response:
        organisation = self.get_object()
        organisation = _service(lambda: services.reactivate_organisation(organisation, actor=request.user))
        return Response(self.get_serializer(organisation).data)


@extend_schema_view(
    list=extend_schema(
        summary="List accounts (system administrators)", responses={200: UserSerializer, 403: _FORBIDDEN}
    ),
    retrieve=extend_schema(summary="One account", responses={200: UserSerializer, 404: _NOT_FOUND}),
    create=extend_schema(
        summary="Open an account",
        request=UserCreateSerializer,
        responses={201: UserCreatedSerializer, 400: _BAD, 403: _FORBIDDEN},
    ),
    update=extend_schema(
        summary="Change an account (send version)",
        responses={200: UserSerializer, 400: _BAD, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT},
    ),
    partial_update=extend_schema(
        summary="Change some fields of an account (send version)",
        responses={200: UserSerializer, 400: _BAD, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT},
    ),
)
class UserViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Accounts: system administrators only; for everybody else they do not exist (404)."""

    serializer_class = UserSerializer
    filterset_class = UserFilterSet
    queryset = User.objects.none()  # for the schema; rows come from access

    def get_queryset(self) -> QuerySet[User]:
        return with_second_factor(access.visible_users(self.request.user))

    def get_object(self) -> User:
        write = self.request.method not in {"GET", "HEAD", "OPTIONS"}
        account = access.get_user_for_user(self.request.user, self.kwargs["pk"], write=write)
        return account

    def _fresh(self, account: User) -> User:
        """The account re-read with its annotations, for the response."""
        return self.get_queryset().get(pk=account.pk)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _require(request, Data.ACCOUNTS, Level.READ)
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self.get_serializer(self._fresh(self.get_object())).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _require(request, Data.ACCOUNTS, Level.WRITE)
        serializer = UserCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        password = serializer.validated_data.get("password") or None
        result = _service(
            lambda: services.create_user(_writable(serializer), actor=request.user, password=password)
        )
        account = self._fresh(result.user)
        if result.generated:
            account.initial_password = result.password  # type: ignore[attr-defined]
        data = UserCreatedSerializer(account, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        account = self.get_object()
        serializer = self.get_serializer(account, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        version = _expected_version(serializer)
        data = {k: v for k, v in _writable(serializer).items() if k != "username"}
        account = _service(
            lambda: services.update_user(account, data, actor=request.user, expected_version=version)
        )
        return Response(self.get_serializer(self._fresh(account)).data)

    @extend_schema(
        summary="Deactivate an account: its sessions and tokens end at once",
        request=None,
        responses={200: UserSerializer, 400: _BAD, 403: _FORBIDDEN, 404: _NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def deactivate(self, request: Request, pk: str | None = None) -> Response:
        account = self.get_object()
        account = _service(lambda: services.deactivate_user(account, actor=request.user))
        return Response(self.get_serializer(self._fresh(account)).data)

    @extend_schema(
        summary="Reactivate an account",
        request=None,
        responses={200: UserSerializer, 400: _BAD, 403: _FORBIDDEN, 404: _NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def reactivate(self, request: Request, pk: str | None = None) -> Response:
        account = self.get_object()
        account = _service(lambda: services.reactivate_user(account, actor=request.user))
        return Response(self.get_serializer(self._fresh(account)).data)

    @extend_schema(
        summary="Set a new password (generated if none is sent); sessions and tokens end",
        request=PasswordResetSerializer,
        responses={200: PasswordResultSerializer, 400: _BAD, 403: _FORBIDDEN, 404: _NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="reset-password")
    def reset_password(self, request: Request, pk: str | None = None) -> Response:
        account = self.get_object()
        serializer = PasswordResetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        password = serializer.validated_data.get("password") or None
        result = _service(lambda: services.reset_password(account, actor=request.user, password=password))
        # A password the administrator typed is not echoed back.
        body = {"password": result.password if result.generated else None, "generated": result.generated}
        return Response(PasswordResultSerializer(body).data)

    @extend_schema(
        summary="Remove the account's second factors; the person enrols again",
        request=None,
        responses={200: UserSerializer, 400: _BAD, 403: _FORBIDDEN, 404: _NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="reset-second-factor")
    def reset_second_factor(self, request: Request, pk: str | None = None) -> Response:
        account = self.get_object()
        account = _service(lambda: services.reset_second_factor(account, actor=request.user))
        return Response(self.get_serializer(self._fresh(account)).data)


class MeView(APIView):
    """The signed-in person's own account."""

    permission_classes = [IsAuthenticated]
    serializer_class = ProfileSerializer

    @extend_schema(summary="My account", responses={200: ProfileSerializer})
    def get(self, request: Request) -> Response:
        return Response(ProfileSerializer(request.user).data)

    @extend_schema(
        summary="Change my names or language (send version)",
        request=ProfileSerializer,
        responses={200: ProfileSerializer, 400: _BAD, 409: _CONFLICT},
    )
    def patch(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)
        serializer = ProfileSerializer(user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        version = _expected_version(serializer)
        data = {k: v for k, v in _writable(serializer).items() if k in services.PROFILE_FIELDS}
        updated = _service(
            lambda: services.update_own_profile(user, data, actor=user, expected_version=version)
        )
        return Response(ProfileSerializer(updated).data)


class TokenView(APIView):
    """API tokens for other systems: issued against password and authenticator code, revoked by DELETE."""

    serializer_class = TokenSerializer

    def get_permissions(self) -> list[Any]:
        if self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        summary="Get an API token (username, password and authenticator code)",
        request=TokenRequestSerializer,
        responses={
            201: TokenSerializer,
            400: OpenApiResponse(DetailSerializer, description="Wrong username, password or code."),
            429: OpenApiResponse(DetailSerializer, description="Locked after too many failed attempts."),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        username = serializer.validated_data["username"]
        refused = Response(
            {"detail": _("Unable to sign in with these details.")}, status=status.HTTP_400_BAD_REQUEST
        )
        http_request = request._request
        # Through Django's authenticate, so django-axes counts failures and locks out.
        user = authenticate(http_request, username=username, password=serializer.validated_data["password"])
        if user is None:
            return refused
        totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if totp is None or not totp.wrap().validate_code(serializer.validated_data["code"]):
            # A wrong code counts as a failed sign-in too.
            user_login_failed.send(sender=__name__, credentials={"username": username}, request=http_request)
            return refused
        with transaction.atomic():
            key = tokens.issue_token(user)
            record_event("auth.token_issued", actor=user, target=user, ip_address=client_ip(http_request))
        return Response(TokenSerializer({"token": key}).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Revoke my API token", request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        assert isinstance(request.user, User)
        with transaction.atomic():
            deleted = tokens.revoke_tokens(request.user)
            if deleted:
                record_event(
                    "auth.token_revoked",
                    actor=request.user,
                    target=request.user,
                    ip_address=client_ip(request._request),
                )
        return Response(status=status.HTTP_204_NO_CONTENT)
