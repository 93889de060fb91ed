"""Environment settings (EKINERJA_*), read with pydantic-settings."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class EnvSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EKINERJA_", env_file=".env", extra="ignore")

    data_dir: Path = PROJECT_ROOT / "data"
    database_url: str | None = None
    cookie_key: str | None = None
    cookie_name: str = "ekinerja_auth"
    cookie_expiry_days: float = 0.5
    login_sleep_time: float = 0.0
    trusted_proxy_header: str | None = None  # e.g. X-Forwarded-For when a reverse proxy sets it
    backup_dir: Path | None = None

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{(self.data_dir / 'ekinerja.db').as_posix()}"


@lru_cache(maxsize=1)
def get_env() -> EnvSettings:
    return EnvSettings()


def reset_env_cache() -> None:
    get_env.cache_clear()
