#!/bin/sh
# Writes /opt/lms/versions.json: each tool of this workspace with the version it reports (read by the agent and shown
# by `lms help` and the lab page). A tool that is not installed is left out.
v() { command -v "$1" >/dev/null 2>&1 || return 0; out="$(sh -c "$2" 2>&1 | head -n 1 | tr -d '"\\' | cut -c1-120)"; printf '%s{"name":"%s","version":"%s"}' "$sep" "$1" "$out"; sep=","; }
sep=""
{
  printf '['
  v node 'node --version'
  v npm 'npm --version'
  v bash 'bash --version | sed -n "1s/.*version \([^ ]*\).*/\1/p"'
  v git 'git --version | cut -d" " -f3'
  v curl 'curl --version | cut -d" " -f2'
  v jq 'jq --version'
  v yq 'yq --version | sed "s/.*version //"'
  v python3 'python3 --version | cut -d" " -f2'
  v promtool 'promtool --version | sed -n "1s/promtool, version \([^ ]*\).*/\1/p"'
  v prometheus 'prometheus --version | sed -n "1s/prometheus, version \([^ ]*\).*/\1/p"'
  v syslog-ng 'syslog-ng --version | sed -n "1s/syslog-ng \([^ ]*\).*/\1/p"'
  v actionlint 'actionlint --version'
  printf ']\n'
} > /opt/lms/versions.json
cat /opt/lms/versions.json
