#!/usr/bin/env python3
"""Resolves what systemd would run for one instance of a template unit, for smoke.sh on a machine without systemd.

  systemd_exec.py UNIT INSTANCE ROOT OUT_PREFIX [FROM=TO ...]

Reads UNIT's [Service] section, substitutes %i/%I/%% with INSTANCE, loads the EnvironmentFile (under ROOT: /etc/x
becomes ROOT/etc/x) the way systemd reads one, and expands $VAR (split into words) and ${VAR} (one word) in ExecStart
like systemd does. Each FROM=TO rewrites an argument that starts with FROM (e.g. the installed jar to the built one);
every rewrite is printed. Writes OUT_PREFIX.argv and OUT_PREFIX.environ (NUL-separated) and prints the working
directory and state directories (as paths under ROOT) for the caller to create.

Only what the Steward units use is supported; anything else (another specifier, several ExecStart lines) is an error,
so the smoke test cannot silently run something other than the unit.
"""
import os
import re
import shlex
import sys


def fail(message):
    sys.exit(f"systemd_exec.py: {message}")


def service_section(path):
    """The [Service] settings as (key, value) pairs, continuation lines joined, comments dropped."""
    settings, section, pending = [], None, ""
    with open(path, encoding="utf-8") as unit:
        for raw in unit:
            line = raw.rstrip("\n")
            if not pending and line.lstrip().startswith(("#", ";")):
                continue
            if line.endswith("\\"):
                pending += line[:-1] + " "
                continue
            line, pending = (pending + line).strip(), ""
            if not line:
                continue
            if line.startswith("[") and line.endswith("]"):
                section = line[1:-1]
            elif section == "Service":
                key, _, value = line.partition("=")
                settings.append((key.strip(), value.strip()))
    return settings


def specifiers(text, instance):
    def replace(match):
        letter = match.group(1)
        if letter in ("i", "I"):
            return instance
        if letter == "%":
            return "%"
        fail(f"specifier %{letter} is not supported here")
    return re.sub(r"%(.)", replace, text)


def environment_file(path):
    """KEY=VALUE lines as systemd reads them: # and ; comments, blank lines, optional quotes around the value."""
    variables = {}
    with open(path, encoding="utf-8") as env:
        for number, raw in enumerate(env, 1):
            line = raw.strip()
            if not line or line.startswith(("#", ";")):
                continue
            key, equals, value = line.partition("=")
            key, value = key.strip(), value.strip()
            if not equals or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
                fail(f"{path}:{number}: not KEY=VALUE: {line}")
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            variables[key] = value
    return variables


def expand(words, variables):
    """$VAR alone as a word becomes its value split at whitespace; ${VAR} becomes the value in place, as one word."""
    result = []
    for word in words:
        whole = re.fullmatch(r"\$([A-Za-z_][A-Za-z0-9_]*)", word)
        if whole:
            result.extend(variables.get(whole.group(1), "").split())
            continue
        result.append(re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", lambda m: variables.get(m.group(1), ""), word))
    return result


def under(root, path):
    return os.path.join(root, path.lstrip("/"))


def main():
    if len(sys.argv) < 5:
        fail(__doc__.strip().splitlines()[2].strip())
    unit, instance, root, out_prefix = sys.argv[1:5]
    rewrites = [rule.split("=", 1) for rule in sys.argv[5:]]
    settings = [(key, specifiers(value, instance)) for key, value in service_section(unit)]
    exec_starts = [value for key, value in settings if key == "ExecStart"]
    if len(exec_starts) != 1:
        fail(f"expected one ExecStart in {unit}, found {len(exec_starts)}")
    variables = {}
    for key, value in settings:
        if key == "EnvironmentFile":
            optional = value.startswith("-")
            path = under(root, value.lstrip("-"))
            if os.path.exists(path):
                variables.update(environment_file(path))
            elif not optional:
                fail(f"EnvironmentFile {path} does not exist")
        elif key == "Environment":
            for assignment in shlex.split(value):
                name, _, text = assignment.partition("=")
                variables[name] = text
    command = exec_starts[0].lstrip("@-:+!")
    argv = expand(shlex.split(command), variables)
    for index, argument in enumerate(argv):
        for source, target in rewrites:
            if argument.startswith(source):
                argv[index] = target + argument[len(source):]
                print(f"  rewrote {argument} -> {argv[index]}")
                break
    with open(out_prefix + ".argv", "wb") as out:
        out.write(b"".join(argument.encode() + b"\0" for argument in argv))
    with open(out_prefix + ".environ", "wb") as out:
        out.write(b"".join(f"{key}={value}".encode() + b"\0" for key, value in variables.items()))
    for key, value in settings:
        if key == "WorkingDirectory":
            print(f"workdir {under(root, value)}")
        elif key == "StateDirectory":
            for directory in value.split():
                print(f"statedir {under(root, os.path.join('/var/lib', directory))}")


if __name__ == "__main__":
    main()
