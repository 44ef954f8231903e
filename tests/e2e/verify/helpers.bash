# helpers.bash - shared by the verify end-to-end tests (sourced; not a test itself)
#
# The tests check Debian's own python: /usr/bin/python3 with python3-numpy (OpenBLAS),
# python3-mpi4py (Open MPI), and MPICH installed beside it. Faults are planted in the
# environment of one hpcenv command only; the machine's settings are never changed.
PY=/usr/bin/python3
SCHEMA=$HPCENV_SOURCE_DIR/docs/verify.schema.json

# ids JSONFILE: the finding ids, one per line
ids() { jq -r '.findings[].id' "$1"; }

# finding JSONFILE ID FIELD: a field (message, remedy, status) of the finding with that id
finding() { jq -r --arg id "$2" --arg f "$3" '.findings[] | select(.id == $id) | .[$f]' "$1"; }

# assert_finding JSONFILE ID: the finding is there
assert_finding() { ids "$1" | grep -qx "$2" || die "no finding '$2' in: $(ids "$1" | tr '\n' ' ')"; }

# assert_no_config_findings JSONFILE ALLOWED...: every finding that does not come from a
# timing is in ALLOWED (timings never decide a test)
assert_no_config_findings() {
	local f=$1 id
	shift
	for id in $(jq -r '.findings[] | select(.measured | not) | .id' "$f"); do
		[[ " $* " == *" $id "* ]] || die "unexpected finding $id: $(finding "$f" "$id" message)"
	done
}

# valid_json FILE: validates against docs/verify.schema.json with a real JSON Schema library
valid_json() {
	"$PY" - "$SCHEMA" "$1" <<'PYEOF' || die "$1 does not validate against the schema"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
jsonschema.Draft202012Validator(schema).validate(json.load(open(sys.argv[2])))
PYEOF
}

# What mpi4py's MPI extension was linked against, and the other MPI installed beside it.
mpi4py_ext() { ls /usr/lib/python3/dist-packages/mpi4py/MPI.cpython-*.so | head -n1; }
mpi4py_needs() { readelf -d "$(mpi4py_ext)" | sed -n 's/.*NEEDED.*\[\(libmpi[^]]*\)\].*/\1/p'; }
