"""`ln.setup.disconnect(mute=, here=)` / `close`, `ln.connect(instance=)`,
`ln.finish(ignore_non_consecutive=)`, `Schema.coerce_dtype`, and validate / inspect /
standardize / from_values on Project and Reference, as LaminDB 2.12 has them."""

from __future__ import annotations

import pytest

import lamin_kernel as ln
from lamin_kernel.setup import settings_files


def test_disconnect_forgets_the_current_instance_and_connect_takes_it_back(
    instance: dict, capsys: pytest.CaptureFixture
) -> None:
    slug = instance["settings"].slug
    assert settings_files.global_slug() == slug
    ln.setup.disconnect(mute=True)
    assert settings_files.global_slug() is None
    assert "disconnected" not in capsys.readouterr().out
    ln.setup.connect(slug)  # the next call works
    assert ln.ULabel.filter().count() == 0
    ln.setup.close()
    assert "disconnected" in capsys.readouterr().out
    ln.connect(instance=slug)
    assert settings_files.global_slug() == slug and ln.setup.settings.instance.slug == slug


def test_disconnect_here_removes_the_development_directory_marker(
    instance: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lamin_kernel.setup import dev_dirs

    folder = instance["tmp"] / "project"
    folder.mkdir()
    dev_dirs.mark(folder, instance["settings"].slug)
    monkeypatch.chdir(folder)
    assert dev_dirs.nearest_marked() is not None
    ln.setup.disconnect(here=True)
    assert dev_dirs.nearest_marked() is None
    assert settings_files.global_slug() == instance["settings"].slug  # the global one stays


def test_finish_takes_lamindbs_argument(instance: dict) -> None:
    ln.track(transform=ln.Transform(key="job", kind="pipeline").save())
    ln.finish(ignore_non_consecutive=True)
    assert ln.Run.filter(transform__key="job").one().finished_at is not None


def test_schema_coerce_dtype_is_coerce(instance: dict) -> None:
    schema = ln.Schema([ln.Feature(name="n", dtype=int).save()], name="s", coerce=True)
    assert schema.coerce_dtype is True
    schema.coerce_dtype = False
    assert schema.coerce is False


def test_projects_and_references_validate_and_come_from_values(instance: dict) -> None:
    ln.Project(name="atlas").save()
    assert ln.Project.validate(["atlas", "other"]).tolist() == [True, False]
    assert ln.Project.inspect(["atlas", "other"]).non_validated == ["other"]
    made = ln.Project.from_values(["atlas", "beta"], create=True)
    assert [p.name for p in made] == ["atlas", "beta"]
    made.save()
    assert ln.Project.filter(name="beta").count() == 1
    ln.Reference(name="Doe et al.").save()
    assert ln.Reference.validate(["Doe et al."]).tolist() == [True]
    assert ln.Reference.standardize(["Doe et al."]) == ["Doe et al."]
