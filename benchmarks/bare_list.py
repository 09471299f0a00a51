"""The yardstick for `akool session list --all --json`: a bare requests.Session loop over
the same pages, printing the same JSON array. Usage: bare_list.py BASE_URL API_KEY SIZE"""

import json
import sys

import requests


def main() -> None:
    base, key, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
    http = requests.Session()
    url = f"{base}/api/open/v3/liveAvatar/session/list"
    page, seen, first = 1, 0, True
    out = sys.stdout
    out.write("[")
    while True:
        body = http.get(
            url, params={"page": page, "size": size}, headers={"x-api-key": key}, timeout=30
        ).json()
        items = body["data"]["result"]
        for item in items:
            out.write(("\n" if first else ",\n") + json.dumps(item, separators=(",", ":")))
            first = False
        seen += len(items)
        if not items or seen >= body["data"]["count"]:
            break
        page += 1
    out.write("\n]\n")


if __name__ == "__main__":
    main()
