"""The yardstick for `akool session detail ID --json`: import requests, GET the same URL,
print its data as JSON. Usage: bare_detail.py URL API_KEY"""

import json
import sys

import requests

response = requests.get(sys.argv[1], headers={"x-api-key": sys.argv[2]}, timeout=30)
sys.stdout.write(json.dumps(response.json()["data"]) + "\n")
