from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm

from gongkai.agencies.models import Agency
from gongkai.agencies.services import PROFILE_FIELDS


class LoginForm(AuthenticationForm):
    """Staff login. In production the demo password is refused even where an account still has it."""

    error_messages = {
        "invalid_login": "用户名或密码不正确。多次输入错误后账号将被暂时锁定。",
        "inactive": "该账号已停用。",
        "demo_password": "生产环境禁止使用演示密码登录，请联系管理员重置密码。",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"

    def clean(self) -> dict[str, Any]:
        password = self.data.get("password", "")
        if settings.GONGKAI_PRODUCTION and password == settings.GONGKAI_DEMO_PASSWORD:
            raise forms.ValidationError(self.error_messages["demo_password"], code="demo_password")
        return super().clean()


class TokenForm(forms.Form):
    token = forms.CharField(
        label="动态验证码",
        max_length=8,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError("验证码应为6位数字。")
        return token


class CalendarImportForm(forms.Form):
    text = forms.CharField(
        label="节假日安排（每行一条）",
        widget=forms.Textarea(
            attrs={"rows": 10, "placeholder": "2027-02-06 休 春节\n2027-02-14 班"}
        ),
        help_text="每行一个日期或日期范围，后接“休”或“班”，可附说明。例如“2027-10-01至2027-10-07 休 国庆节”。",
    )
    source = forms.CharField(label="依据（通知文号）", max_length=200, required=False)
    mark_years_entered = forms.BooleanField(
        label="这些年份的节假日安排已全部录入（录入后不再显示“暂定”）", required=False, initial=True
    )


class AgencyProfileForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = list(PROFILE_FIELDS)
