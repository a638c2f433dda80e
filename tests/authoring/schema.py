"""docs/scenario.schema.json says what the loader says (TAP).

(a) Every scenario the loader accepts is valid under the schema: the
shipped scenarios, the templates (as `synfin --new` prints them) and every
test scenario under tests/.
(b) Every test file the loader refuses (tests/scenario/bad/ and the
others under tests/) is invalid under the schema, except the files listed
below: those a schema cannot refuse, each with the reason, and those that
are not JSON at all. The lists are checked exactly: an entry for a file the
schema refuses, or for a file that is not refused, fails, and so does a
refused file that is valid under the schema without an entry.

The loader is the real binary, `synfin --validate FILE` (exit 0 or 2).
Run by schema.sh with SRCDIR and SYNFIN set.
"""

import glob
import importlib.metadata
import json
import os
import subprocess
import sys

import jsonschema

SRCDIR = os.environ["SRCDIR"]
SYNFIN = os.environ["SYNFIN"]

# Refused by the loader for a reason no JSON Schema can state.
SCHEMA_CANNOT = {
    "tests/scenario/bad/duplicate-key.json":
        "a key twice in one object: a schema sees the parsed object, which "
        "keeps one value per key",
    "tests/scenario/bad/holds-range.json":
        "[low, high] with high >= low: the order of two values",
    "tests/scenario/bad/not-flags-overlap.json":
        "a flag in both flags and not_flags: the names inside two strings",
    "tests/scenario/bad/port-range-order.json":
        "[first, last] with last >= first: the order of two values",
    "tests/scenario/bad/rto-initial-above-max.json":
        "rto_min_ms <= rto_initial_ms <= rto_max_ms: the order of values, "
        "with the profile's defaults for those not given",
    "tests/scenario/bad/rto-initial-below-min.json":
        "rto_min_ms <= rto_initial_ms: the order of values",
    "tests/scenario/bad/rto-max-below-initial.json":
        "rto_initial_ms <= rto_max_ms, with the default rto_initial_ms: "
        "the order of values",
    "tests/scenario/bad/rto-min-above-initial.json":
        "rto_min_ms <= rto_initial_ms, with the default rto_initial_ms: "
        "the order of values",
    "tests/scenario/bad/until-before-from.json":
        "until_ms > from_ms: the order of two values",
    "tests/scenario/bad/syntax-nul-escape.json":
        "\\u0000 in a string: Python's json reads it, synfin's stricter "
        "syntax refuses it, and a schema sees only the decoded string",
    "tests/scenario/bad/syntax-unpaired-surrogate.json":
        "an unpaired surrogate escape: Python's json reads it into a "
        "string, synfin's stricter syntax refuses it",
}

# Not JSON at all (Python's json refuses them too), so there is nothing a
# schema could be applied to.
NOT_JSON = {
    "tests/scenario/bad/empty.json": "nothing but white space",
    "tests/scenario/bad/invalid-utf8.json": "not UTF-8",
    "tests/scenario/bad/nul-byte.json": "a NUL byte",
}
for path in glob.glob(os.path.join(SRCDIR, "tests/scenario/bad/syntax-*.json")):
    name = os.path.relpath(path, SRCDIR)
    if name not in SCHEMA_CANNOT and not name.endswith("syntax-too-deep.json"):
        NOT_JSON[name] = "a syntax error"
# syntax-too-deep.json is JSON nested 101 deep: synfin refuses the depth,
# which a schema cannot, but its deep array stands where a note (an object)
# belongs, so the schema refuses it too, and it needs no entry.

n = 0
failed = 0


def check(cond, name, detail=""):
    global n, failed
    n += 1
    print("%s %d - %s" % ("ok" if cond else "not ok", n, name))
    if not cond:
        failed += 1
        for line in str(detail).splitlines()[:6]:
            print("#   " + line)
    return cond


def _no_constants(word):
    raise ValueError("not JSON: " + word)


def parse(data):
    """The JSON in bytes as a schema sees it, or None if it is not JSON."""
    try:
        text = data.decode("utf-8-sig")
        return json.loads(text, parse_constant=_no_constants)
    except ValueError:
        return None


def verdict(validator, data):
    """("not JSON" | "valid" | "invalid", the first error)."""
    doc = parse(data)
    if doc is None:
        return "not JSON", ""
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    if errors:
        e = errors[0]
        return "invalid", "%s: %s" % ("/".join(map(str, e.path)), e.message)
    return "valid", ""


def loader(path):
    """synfin --validate: True if it accepts the file."""
    r = subprocess.run([SYNFIN, "--validate", path], stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode not in (0, 2):
        raise SystemExit("Bail out! synfin --validate %s exited %d: %s"
                         % (path, r.returncode, r.stderr.decode()[:200]))
    return r.returncode == 0, r.stderr.decode("utf-8", "replace")


def main():
    with open(os.path.join(SRCDIR, "docs/scenario.schema.json"),
              encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    print("# jsonschema %s, %s" % (importlib.metadata.version("jsonschema"),
                                   cls.__name__))
    try:
        cls.check_schema(schema)
        check(True, "the schema is a valid JSON Schema")
    except jsonschema.SchemaError as e:
        check(False, "the schema is a valid JSON Schema", e)
        return
    # Draft-07: the newest draft editors support fully (VS Code warns
    # against 2020-12), and one Debian's python3-jsonschema reads.
    check(cls.__name__ == "Draft7Validator", "the schema is read as draft-07")
    validator = cls(schema)

    # (a) What the loader accepts, the schema accepts.
    shipped = sorted(glob.glob(os.path.join(SRCDIR, "scenarios/*.json")))
    templates = sorted(glob.glob(os.path.join(SRCDIR, "scenarios/templates/*.json")))
    tests = sorted(p for p in glob.glob(os.path.join(SRCDIR, "tests/**/*.json"),
                                        recursive=True))
    accepted = refused = 0
    refused_files = []
    for path in shipped + templates + tests:
        name = os.path.relpath(path, SRCDIR)
        ok, err = loader(path)
        if not ok:
            if path in shipped or path in templates:
                check(False, "%s loads" % name, err)
            refused_files.append(name)
            continue
        accepted += 1
        with open(path, "rb") as f:
            v, why = verdict(validator, f.read())
        check(v == "valid", "%s: valid under the schema" % name, why)
    check(len(shipped) >= 30 and accepted >= len(shipped) + len(templates) + 20,
          "%d shipped scenarios, %d templates, %d accepted in all"
          % (len(shipped), len(templates), accepted))

    # The templates as synfin --new prints them.
    for path in templates:
        tname = os.path.basename(path)[:-5]
        r = subprocess.run([SYNFIN, "--new", tname], stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        v, why = verdict(validator, r.stdout)
        check(r.returncode == 0 and v == "valid",
              "synfin --new %s: valid under the schema" % tname, why)

    # (b) What the loader refuses, the schema refuses, but for the lists.
    bad_dir = [os.path.relpath(p, SRCDIR) for p in
               glob.glob(os.path.join(SRCDIR, "tests/scenario/bad/*.json"))]
    check(len(bad_dir) >= 100 and all(b in refused_files for b in bad_dir),
          "the loader refuses all %d files of tests/scenario/bad/" % len(bad_dir))
    for name in sorted(refused_files):
        with open(os.path.join(SRCDIR, name), "rb") as f:
            v, why = verdict(validator, f.read())
        if name in NOT_JSON:
            check(v == "not JSON", "%s is not JSON (%s)" % (name, NOT_JSON[name]),
                  "Python's json reads it: list it elsewhere")
        elif name in SCHEMA_CANNOT:
            check(v == "valid", "%s: the schema cannot refuse it (%s)"
                  % (name, SCHEMA_CANNOT[name]),
                  "the schema refuses it (%s): remove its entry" % why)
        else:
            check(v == "invalid", "%s: refused by the schema too" % name,
                  "the loader refuses it, the schema %s" %
                  ("cannot read it: list it in NOT_JSON" if v == "not JSON"
                   else "accepts it: make the schema refuse it, or list it "
                        "in SCHEMA_CANNOT with the reason"))
    for name in sorted(set(SCHEMA_CANNOT) | set(NOT_JSON)):
        check(name in refused_files, "the list names %s, which the loader "
              "refuses" % name, "no such file, or the loader accepts it")

    print("1..%d" % n)
    sys.exit(1 if failed else 0)


main()
