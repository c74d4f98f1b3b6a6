from django.core.management.base import BaseCommand, CommandError

from accounts import services
from accounts.models import District, Enterprise, Role, User
from accounts.validators import normalize_mobile
from core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Grant (or with --revoke, take away) a role. The user is found by mobile number or "
        "e-mail; enterprise officers need --enterprise (credit code), district officers --district "
        "(administrative code). Writes an audit row."
    )

    def add_arguments(self, parser):
        parser.add_argument("user", help="mobile number or e-mail address")
        parser.add_argument("role", choices=[role.value for role in Role])
        parser.add_argument("--enterprise", help="unified social credit code")
        parser.add_argument("--district", help="administrative code, e.g. 330106")
        parser.add_argument("--revoke", action="store_true")

    def handle(self, *args, **options):
        user = self._user(options["user"])
        role = Role(options["role"])
        if options["revoke"]:
            services.role_revoke(user=user, role=role, actor=None)
            self.stdout.write(f"Revoked {role.label} from {user}.")
            return
        enterprise = district = None
        if options["enterprise"]:
            enterprise = Enterprise.objects.filter(uscc=options["enterprise"].upper()).first()
            if enterprise is None:
                raise CommandError(f"No enterprise with credit code {options['enterprise']}.")
        if options["district"]:
            district = District.objects.filter(code=options["district"]).first()
            if district is None:
                raise CommandError(f"No district with code {options['district']}.")
        try:
            services.role_grant(
                user=user, role=role, actor=None, enterprise=enterprise, district=district
            )
        except DomainError as error:
            raise CommandError(str(error.message)) from None
        self.stdout.write(f"Granted {role.label} to {user}.")

    def _user(self, login: str) -> User:
        if "@" in login:
            user = User.objects.filter(email__iexact=login).first()
        else:
            try:
                user = User.objects.filter(phone=normalize_mobile(login)).first()
            except Exception:  # noqa: BLE001  (an unparseable number finds nobody)
                user = None
        if user is None:
            raise CommandError(f"No user with mobile number or e-mail {login}.")
        return user
