# --json validates against docs/verify.schema.json, --junit parses as JUnit, --plot is SVG;
# with the global --json the same document goes to stdout
source "$HPCENV_SOURCE_DIR/tests/e2e/verify/helpers.bash"
expect_status 0 hpcenv verify --python "$PY" --quick --json "$T/v.json" --junit "$T/v.xml" \
	--plot "$T/v.svg"
valid_json "$T/v.json"
assert_eq "$(jq -r .schema "$T/v.json")" "hpcenv-verify/1"
assert_eq "$(jq -r .target.mode "$T/v.json")" quick
"$PY" - "$T/v.xml" "$T/v.json" <<'PYEOF' || die "JUnit check failed"
import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
doc = json.load(open(sys.argv[2]))
assert root.tag == "testsuites", root.tag
cases = root.findall("./testsuite/testcase")
assert len(cases) == len(doc["checks"]) == int(root.get("tests")), (len(cases), root.get("tests"))
names = {c.get("name") for c in cases}
assert {"blas.library", "mpi.run", "bench.residual", "numpy.ops"} <= names, names
fails = [c for c in cases if c.find("failure") is not None]
assert len(fails) == int(root.get("failures")) == 0, [c.get("name") for c in fails]
for s in root.findall("testsuite"):
    assert int(s.get("tests")) == len(s.findall("testcase"))
PYEOF
"$PY" - "$T/v.svg" <<'PYEOF' || die "SVG check failed"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ns = "{http://www.w3.org/2000/svg}"
assert root.tag == ns + "svg", root.tag
texts = " ".join(t.text or "" for t in root.iter(ns + "text"))
assert "DGEMM 1 thr" in texts and "DP peak, 1 core" in texts, texts
assert len(list(root.iter(ns + "polyline"))) >= 2
PYEOF
# the global --json prints the document on stdout instead of the text report
expect_status 0 hpcenv --json verify --python "$PY" --quick --mpi
printf '%s' "$out" >"$T/stdout.json"
valid_json "$T/stdout.json"
assert_eq "$(jqr '.blas' "$out")" null
assert_eq "$(jqr '.mpi.run.np' "$out")" 2
