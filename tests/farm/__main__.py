"""Run the portal farm by itself: `python -m tests.farm [--base-port 8101]`."""

from __future__ import annotations

import argparse
import signal
import threading

from .server import PORTALS, Farm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--base-port", type=int, default=8101,
                        help="first portal's port; the others follow, the admin API comes last")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    ports = {spec.key: args.base_port + i for i, spec in enumerate(PORTALS)}
    farm = Farm(seed=args.seed, host=args.host, ports=ports, admin_port=args.base_port + len(PORTALS)).start()
    for key, portal in farm.portals.items():
        print(f"{key:18} {portal.start_urls()[0]}")
    print(f"{'admin API':18} {farm.admin_url}/articles")
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    farm.stop()


if __name__ == "__main__":
    main()
