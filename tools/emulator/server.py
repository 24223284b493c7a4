"""The project's AWS emulator: moto's server on a free loopback port, for lib/emulator.ts.

    .venv/bin/python tools/emulator/server.py --parent-pid PID

Binds 127.0.0.1 on a port the kernel picks (never a fixed one), prints one line
`moto listening on 127.0.0.1:<port>` on stdout once the socket accepts connections, then serves
moto's single application for every service. It stops on SIGTERM or SIGINT, and by itself when
the process PID given with --parent-pid is gone (a parent killed with SIGKILL runs no exit
handler), so no emulator outlives the script or test that started it.

Lambda runs without Docker: moto's "simple" Lambda backend (configuration
`{"lambda": {"use_docker": false}}`, as `POST /moto-api/config` would set it) stores
functions and answers every Invoke with a canned payload (the request body, or
"Simple Lambda happy path OK" for an empty one) without running the function's code.

The APIs the stacks need that moto lacks are answered by the stand-ins of stand_ins.py (stored
only, no effect); the sandbox report lists every resource resting on one.
"""
import argparse
import os
import signal
import sys
import threading
import time


def parent_alive(pid: int) -> bool:
    if os.getppid() != pid:
        return False
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parent-pid", type=int, required=True, help="stop when this process is gone")
    args = parser.parse_args()

    # AWS managed policies exist in every account; the stacks attach some (AmazonSSMManagedInstanceCore, ...).
    os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    from werkzeug.serving import make_server
    from moto.core.config import default_user_config
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from stand_ins import with_stand_ins

    default_user_config["lambda"] = {"use_docker": False}
    app = with_stand_ins(DomainDispatcherApplication(create_backend_app))
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=MotoRequestHandler)
    port = server.socket.getsockname()[1]
    # moto writes its own URLs (queue URLs, function URLs) with this port.
    os.environ["MOTO_PORT"] = str(port)

    stopping = threading.Event()

    def stop(*_: object) -> None:
        if not stopping.is_set():
            stopping.set()
            threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    def watch_parent() -> None:
        while not stopping.is_set():
            if not parent_alive(args.parent_pid):
                os._exit(0)
            time.sleep(0.5)

    threading.Thread(target=watch_parent, daemon=True).start()
    print(f"moto listening on 127.0.0.1:{port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
