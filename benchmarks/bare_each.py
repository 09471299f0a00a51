"""The yardstick for `akool session close -` and `pause -`: a bare sequential
requests.Session loop over the ids on stdin. Usage: bare_each.py BASE_URL API_KEY ACTION"""

import sys

import requests


def main() -> None:
    base, key, action = sys.argv[1], sys.argv[2], sys.argv[3]
    http = requests.Session()
    url = f"{base}/api/open/v3/liveAvatar/session/{action}"
    for line in sys.stdin:
        session_id = line.strip()
        if session_id:
            http.post(url, json={"id": session_id}, headers={"x-api-key": key}, timeout=30)
            sys.stdout.write(session_id + "\n")


if __name__ == "__main__":
    main()
