"""The wheel carries the default templates: a fresh virtual environment with only the
wheel installed builds a course that lives outside this checkout."""
import subprocess
import sys
import venv
import zipfile

from .conftest import ROOT, make_course


def test_wheel_installs_and_builds_a_course_elsewhere(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(ROOT)],
                   check=True, timeout=600)
    wheel = next(wheels.glob("coursepack-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    assert "builder/templates/sco.html.j2" in names
    assert "builder/templates/player/js/90-boot.js" in names
    assert "builder/templates/messages/en.json" in names
    assert "builder/templates/guide.html.j2" in names and "builder/templates/guide.css" in names

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(env_dir)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", str(wheel)], check=True, timeout=600)
    course = make_course(tmp_path, {})
    out = tmp_path / "dist"
    result = subprocess.run([str(env_dir / "bin" / "coursepack"), "build", str(course), "--out", str(out)],
                            capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["t-facilitator-guide.html", "t-scorm12.zip",
                                                     "t-scorm2004-4th.zip"]
    with zipfile.ZipFile(out / "t-scorm12.zip") as zf:
        assert "player/player.js" in zf.namelist()
