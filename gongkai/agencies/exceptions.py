from gongkai.core.exceptions import DomainError


class AgencyError(DomainError):
    default_message = "机关信息不正确。"
