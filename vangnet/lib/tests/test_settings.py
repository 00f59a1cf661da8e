import os
import subprocess
import sys


def _check(env_extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("VANGNET_", "DATABASE_URL", "SECRET_KEY", "DEBUG"))
    }
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-m", "vangnet.cli", "manage", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_demo_settings_with_a_clear_message():
    result = _check({"VANGNET_ENV": "production"})
    assert result.returncode != 0
    assert "Production refuses demo settings" in result.stderr
    for name in ("SECRET_KEY", "VANGNET_KEYRING", "VANGNET_PEPPER", "DATABASE_URL"):
        assert name in result.stderr
    assert "Traceback" not in result.stderr


def test_a_malformed_value_names_the_variable():
    result = _check({"VANGNET_SESSION_IDLE_SECONDS": "soon"})
    assert result.returncode != 0
    assert "VANGNET_SESSION_IDLE_SECONDS must be a whole number" in result.stderr


def test_an_unknown_environment_is_refused():
    result = _check({"VANGNET_ENV": "staging"})
    assert result.returncode != 0
    assert "VANGNET_ENV must be demo, test or production" in result.stderr


def test_demo_settings_pass_the_check():
    result = _check({})
    assert result.returncode == 0, result.stderr
