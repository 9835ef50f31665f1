"""The GitHub workflows, run here: zizmor's audit, and their steps fed with the event
payloads GitHub sends (tests/fixtures/github/), in scratch repositories."""

from __future__ import annotations

import http.server
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

from build_tools.contribute.pullrequest import BOT_LOGIN, MARKER
from tests.conftest import REPO_ROOT
from tests.unit.test_pullrequest import _CommentsApi, pr_repo  # noqa: F401 (fixture)

WORKFLOWS = REPO_ROOT / ".github/workflows"
PAYLOADS = REPO_ROOT / "tests/fixtures/github"
BIN = Path(sys.executable).parent
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def test_zizmor_finds_nothing_offline():
    result = subprocess.run(
        [str(BIN / "zizmor"), "--offline", "--no-progress", str(WORKFLOWS)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_action_is_pinned_to_a_commit_with_its_tag_beside():
    for path in WORKFLOWS.glob("*.yml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "uses:" in line:
                assert re.search(r"uses: [\w.-]+/[\w.-]+@[0-9a-f]{40}  # v\d+\.\d+\.\d+$", line)


def load_payload(name: str) -> dict:
    return json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))


def lookup(payload: dict, dotted: str):
    value = payload
    for part in dotted.split("."):
        value = value[part]
    return value


def run_step(
    workflow: str, step_name: str, payload: dict, cwd: Path, runner_temp: Path, **extra: str
) -> subprocess.CompletedProcess:
    """One `run:` step as the runner runs it: bash -eo pipefail, its `env:` filled from the
    event payload (`github.event.*`) and `runner.temp`; `extra` gives secrets and the
    runner's own variables."""
    document = yaml.safe_load((WORKFLOWS / workflow).read_text(encoding="utf-8"))
    (job,) = document["jobs"].values()
    (step,) = [s for s in job["steps"] if s.get("name") == step_name]
    assert "${{" not in step["run"], "expressions reach the shell only through env:"
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    env |= {"RUNNER_TEMP": str(runner_temp), "GITHUB_OUTPUT": str(runner_temp / "output.txt")}
    for key, template in step.get("env", {}).items():
        if key in extra:
            continue

        def resolve(match: re.Match) -> str:
            expression = match.group(1)
            if expression == "runner.temp":
                return str(runner_temp)
            assert expression.startswith("github.event."), expression
            return str(lookup(payload, expression.removeprefix("github.event.")))

        env[key] = EXPRESSION.sub(resolve, str(template))
    env |= extra
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )


def test_issue_form_event_becomes_an_entry(scratch_project, tmp_path):
    payload = load_payload("issues-opened")
    labels = [label["name"] for label in payload["issue"]["labels"]]
    assert payload["issue"]["state"] == "open" and "ส่งผลงาน" in labels  # the job's `if:`
    result = run_step(
        "issue-to-pr.yml", "Write the entry from the issue", payload, scratch_project.root, tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    folder = "innovations/2568/lopburi-monkey-tales-reading-kit"
    outputs = (tmp_path / "output.txt").read_text(encoding="utf-8").splitlines()
    assert outputs == ["ok=true", "branch=submission/issue-12", f"folder={folder}"]
    assert (scratch_project.root / folder / "index.md").is_file()
    assert "Closes #12" in (tmp_path / "out/pr-body.md").read_text(encoding="utf-8")
    assert "✅" in (tmp_path / "out/comment.md").read_text(encoding="utf-8")


def test_issue_form_event_with_shell_text_stays_text(scratch_project, tmp_path):
    payload = load_payload("issues-opened")
    payload["issue"]["body"] = payload["issue"]["body"].replace(
        "ชุดกิจกรรม 6 เล่ม", '$(touch pwned) `touch pwned` "; touch pwned; " ชุดกิจกรรม 6 เล่ม'
    )
    result = run_step(
        "issue-to-pr.yml", "Write the entry from the issue", payload, scratch_project.root, tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert not (scratch_project.root / "pwned").exists() and not Path("pwned").exists()
    assert "$(touch pwned)" in (tmp_path / "issue.md").read_text(encoding="utf-8")


def pull_request_payload(head: str, base: str) -> dict:
    payload = load_payload("pull-request-opened")
    payload["pull_request"]["head"]["sha"] = head
    payload["pull_request"]["base"]["sha"] = base
    return payload


def test_pull_request_event_is_checked_and_leaves_the_comment_artifact(pr_repo, tmp_path):  # noqa: F811
    project, base, head = pr_repo
    payload = pull_request_payload(head, base)
    result = run_step("pr-check.yml", "Check the changed entries", payload, project.root, tmp_path)
    assert result.returncode == 1  # the misspelt district (the step continues on error)
    assert "::error file=innovations/2568/math-kit/index.md,line=11" in result.stdout
    artifact = project.root / "comment"
    assert (artifact / "number.txt").read_text() == "7\n"
    assert (artifact / "comment.md").read_text(encoding="utf-8").startswith(MARKER)


class _PullsApi(_CommentsApi):
    """GitHub's pulls API too: the head commit of each pull request."""

    heads = {7: ""}
    posted: list[tuple[int, str]] = []

    def do_GET(self):
        number = int(re.search(r"/(?:pulls|issues)/(\d+)", self.path).group(1))
        if "/pulls/" in self.path:
            if number in self.heads:
                self._send({"number": number, "head": {"sha": self.heads[number]}})
            else:
                self._send({"message": "Not Found"}, 404)
        else:
            self._send([])

    def do_POST(self):
        number = int(re.search(r"/issues/(\d+)/comments", self.path).group(1))
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["body"]
        self.posted.append((number, body))
        self._send({"id": 1, "body": body, "user": {"login": BOT_LOGIN}}, 201)


@pytest.fixture
def pulls_api():
    _PullsApi.posted = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _PullsApi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.mark.parametrize(
    ("number", "posted"),
    [("7", True), ("8", False), ("12", False)],  # the checked PR; another PR; an issue
)
def test_workflow_run_event_comments_only_on_the_checked_pull_request(
    pulls_api, tmp_path, number, posted
):
    payload = load_payload("workflow-run-completed")
    head = payload["workflow_run"]["head_sha"]
    _PullsApi.heads = {7: head, 8: "0" * 40}
    artifact = tmp_path / "comment"  # what download-artifact leaves: the check's files
    artifact.mkdir()
    (artifact / "number.txt").write_text(number + "\n")
    (artifact / "comment.md").write_text(f"{MARKER}\nผลการตรวจ\n", encoding="utf-8")
    result = run_step(
        "pr-comment.yml",
        "Post or update the comment",
        payload,
        tmp_path,
        tmp_path,
        GITHUB_TOKEN="t0ken",
        GITHUB_API_URL=pulls_api,
        GITHUB_REPOSITORY=payload["repository"]["full_name"],
    )
    assert "Traceback" not in result.stderr
    if posted:
        assert result.returncode == 0, result.stderr
        assert _PullsApi.posted == [(7, f"{MARKER}\nผลการตรวจ\n")]
    else:
        assert result.returncode == 1 and _PullsApi.posted == []
        assert "ไม่โพสต์ความคิดเห็น" in result.stderr
