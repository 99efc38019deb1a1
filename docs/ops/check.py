#!/usr/bin/env python3
"""Checks docs/ops beyond what promtool does on its own (scripts/test runs it):

1. every PromQL expression in grafana-dashboard.json parses: they are written, with Grafana's
   `$__rate_interval` replaced by 5m, as recording rules into a temporary file for
   `promtool check rules` (promtool has no offline "parse this query" command);
2. every `lossy_*` metric the alert rules and the dashboard use is one the server exports, i.e.
   its name appears in api/src (histogram series lose their _bucket/_count/_sum suffix first),
   so a renamed metric cannot leave a rule silently watching nothing.
"""
import json
import pathlib
import re
import subprocess
import sys
import tempfile

OPS = pathlib.Path(__file__).resolve().parent
REPO = OPS.parent.parent


def dashboard_exprs(dashboard):
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            yield panel["title"], target["expr"]
    for annotation in dashboard["annotations"]["list"]:
        if "expr" in annotation:
            yield annotation["name"], annotation["expr"]


def main():
    dashboard = json.loads((OPS / "grafana-dashboard.json").read_text())
    exprs = list(dashboard_exprs(dashboard))
    rules = {
        "groups": [
            {
                "name": "grafana_dashboard_exprs",
                "rules": [
                    {"record": f"dashboard:expr_{i}", "expr": expr.replace("$__rate_interval", "5m")}
                    for i, (_, expr) in enumerate(exprs)
                ],
            }
        ]
    }
    with tempfile.NamedTemporaryFile("w", suffix=".yml") as tmp:
        # JSON is YAML, so promtool reads this as a rule file.
        json.dump(rules, tmp)
        tmp.flush()
        checked = subprocess.run(["promtool", "check", "rules", tmp.name], capture_output=True, text=True)
    if checked.returncode != 0:
        sys.stderr.write(checked.stdout + checked.stderr)
        sys.exit("a PromQL expression in docs/ops/grafana-dashboard.json does not parse")

    source = "\n".join(p.read_text() for p in (REPO / "api" / "src").rglob("*.rs"))
    used = set(re.findall(r"lossy_[a-z_]+", (OPS / "alerts.yml").read_text()))
    used |= {name for _, expr in exprs for name in re.findall(r"lossy_[a-z_]+", expr)}
    missing = sorted(
        name
        for name in used
        if f'"{re.sub(r"_(bucket|count|sum)$", "", name)}"' not in source
    )
    if missing:
        sys.exit(f"docs/ops uses metrics the server does not export: {', '.join(missing)}")
    print(f"docs/ops: {len(exprs)} dashboard expressions parse; {len(used)} metric names all exported")


if __name__ == "__main__":
    main()
