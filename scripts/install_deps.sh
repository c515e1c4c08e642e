#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages nmt needs to build and test, skipping apt
# entirely when they are all present already.
set -euo pipefail

packages=(
  cmake g++ make pkg-config
  libdnnl-dev ocl-icd-opencl-dev  # oneDNN's CMake config looks for OpenCL; libdnnl-dev only recommends it
  libsentencepiece-dev libicu-dev libyaml-cpp-dev
  libboost-program-options-dev libboost-test-dev
  nlohmann-json3-dev libspdlog-dev libfmt-dev libxxhash-dev zlib1g-dev
  libopenmpi-dev openmpi-bin  # data-parallel training (mpirun -np N nmt train)
  python3
  inotify-tools  # the fault tests catch checkpoint writes with inotifywait
  help2man  # the man pages, made from the --help texts
)
packages+=("$@")  # extra packages a caller needs (e.g. the quickstart's corpus tools)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
