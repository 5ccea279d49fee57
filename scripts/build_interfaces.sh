#!/usr/bin/env bash
# Build the ROS interface packages in interfaces/ (unitree_api, unitree_hg, ...) with plain cmake and
# install them into .venv, so rclpy imports their messages with no sourcing. A package is rebuilt only
# when one of its files changed (a SHA-256 stamp per package in .venv). Progress goes to stderr.
# interfaces_embedded/ (nav2_msgs) is built only where that package is not installed already.
# The generator wheels come from setup.py's `interfaces` extra (scripts/setup.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/.."

venv=$(pwd)/.venv
py=$venv/bin/python
jobs=${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}

# The wheels' rosidl_generator_py exports name the include dirs of the Python they were built with
# (/opt/python/cp311-cp311): point them at this venv's Python and numpy, or linking the generated
# Python type support fails.
py_include=$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
np_include=$("$py" -c 'import numpy; print(numpy.get_include())')
for export in "$venv"/share/*/cmake/*__rosidl_generator_pyExport.cmake; do
  if grep -q '/opt/python/cp311-cp311' "$export"; then
    sed -i "s|/opt/python/cp311-cp311/include/python3.11|$py_include|g; \
s|/opt/python/cp311-cp311/lib/python3.11/site-packages/numpy/_core/include|$np_include|g" "$export"
  fi
done

export AMENT_PREFIX_PATH=$venv CMAKE_PREFIX_PATH=$venv PATH=$venv/bin:$PATH
for package in interfaces/*/ interfaces_embedded/*/; do
  name=$(basename "$package")
  stamp=$venv/.interface-$name
  if [[ $package == interfaces_embedded/* ]] && [ ! -f "$stamp" ] && "$py" -c "import $name, sys; sys.exit(0 if $name.__file__ else 1)" 2>/dev/null; then
    echo "setup: $name is installed already (a ROS install): ours is not built" >&2
    continue
  fi
  want=$(find "$package" -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && "$py" -c "import $name, sys; sys.exit(0 if $name.__file__ else 1)" 2>/dev/null; then
    echo "setup: interface package $name is up to date" >&2
    continue
  fi
  echo "setup: building interface package $name into .venv ($jobs jobs; about a minute)" >&2
  start=$SECONDS
  build=build/interfaces/$name
  rm -rf "$build" && mkdir -p "$build"
  cmake -S "$package" -B "$build" -DCMAKE_INSTALL_PREFIX="$venv" -DBUILD_TESTING=OFF \
    -DPython3_EXECUTABLE="$py" -DPYTHON_EXECUTABLE="$py" -DCMAKE_BUILD_TYPE=Release \
    --log-level=WARNING >"$build.log" 2>&1 || { tail -30 "$build.log" >&2; exit 1; }
  cmake --build "$build" -j "$jobs" >>"$build.log" 2>&1 || { tail -30 "$build.log" >&2; exit 1; }
  cmake --install "$build" >>"$build.log" 2>&1 || { tail -30 "$build.log" >&2; exit 1; }
  "$py" -c "import $name, sys; sys.exit(0 if $name.__file__ else 1)" || { echo "setup: $name was built but does not import" >&2; exit 1; }
  echo "$want" >"$stamp"
  echo "setup: $name built and installed in $((SECONDS - start)) s" >&2
done
