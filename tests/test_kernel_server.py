"""Kernels forked by the kernel server (cchc_analysis/kernel_server.py).

Each check runs in a fresh Python process (a server is forked only from a process without other
threads, which a test session does not promise).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cchc_analysis.kernel_server import ForkedKernel, kernel_arguments

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="kernels are forked on Linux only")

SCRIPT = textwrap.dedent("""
    import json, os, sys
    from pathlib import Path
    import nbformat
    from cchc_analysis.pack import kernels
    from cchc_analysis.kernel_server import KernelServer

    work = Path(sys.argv[1])
    mode = sys.argv[2]
    os.environ["CCHC_PROBE"] = "xin chào"
    server = None
    if mode != "none":
        server = KernelServer.start(["json"], {"MPLBACKEND": kernels.INLINE_BACKEND})
        assert server is not None
        if mode == "closed":
            server.close()
    book = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import os, sys, json, subprocess\\n"
                                  "print(json.dumps({'ppid': os.getppid(), 'pid': os.getpid(), 'cwd': os.getcwd(),"
                                  " 'probe': os.environ.get('CCHC_PROBE'), 'mpl': os.environ.get('MPLBACKEND'),"
                                  " 'child': subprocess.run([sys.executable, '-c', 'raise SystemExit(3)']).returncode,"
                                  " 'sid': os.getsid(0) == os.getpid()}))"),
        nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\\nplt.plot([0, 1])\\nplt.show()"),
    ])
    book.metadata["kernelspec"] = {"name": kernels.KERNEL_NAME, "display_name": "Python 3", "language": "python"}
    source = work / "probe.ipynb"
    nbformat.write(book, str(source))
    (work / "nb").mkdir()
    (work / "logs").mkdir()
    pool = kernels.KernelPool(1, work / "nb", work / "logs", server)
    pool.start()
    km = pool.manager(0)
    assert not pool.errors, pool.errors
    kernels.run_notebook(source, work / "out.ipynb", {}, work / "nb", False, km=km)
    handle = km.provisioner.process
    pool.close()
    out = nbformat.read(str(work / "out.ipynb"), as_version=4)
    seen = json.loads(out.cells[0].outputs[0]["text"])
    seen["images"] = sum("image/png" in o.get("data", {}) for o in out.cells[1].outputs)
    seen["me"] = os.getpid()
    seen["server"] = server._process.pid if server is not None else None
    seen["forked"] = type(handle).__name__ == "ForkedKernel"
    seen["stopped"] = handle is None or handle.poll() is not None
    if server is not None:
        server.close()
        seen["server_stopped"] = not server._process.is_alive()
    print("RESULT " + json.dumps(seen))
""")


def _probe(tmp_path: Path, mode: str) -> dict:
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path), mode], capture_output=True, text=True,
                          timeout=240, env={**os.environ, "MPLBACKEND": "Agg"})
    assert done.returncode == 0, done.stderr[-3000:]
    line = [x for x in done.stdout.splitlines() if x.startswith("RESULT ")][-1]
    return json.loads(line[len("RESULT "):])


def test_a_forked_kernel_runs_a_notebook_as_a_started_kernel_would(tmp_path):
    seen = _probe(tmp_path, "server")
    assert seen["forked"] and seen["ppid"] == seen["server"] != seen["me"]  # the server's child
    assert seen["cwd"] == str(tmp_path / "nb")  # the notebook's folder, as given to the kernel
    assert seen["probe"] == "xin chào"  # this process's environment
    assert seen["mpl"] == "module://matplotlib_inline.backend_inline"
    assert seen["images"] == 1  # figures shown inline, as in a started kernel
    assert seen["child"] == 3  # a notebook's own subprocess gives its exit status (SIGCHLD as usual)
    assert seen["sid"]  # a session (and process group) of its own: stopping it stops nothing else
    assert seen["stopped"] and seen["server_stopped"]


def test_without_a_server_or_with_a_stopped_one_the_kernel_is_started_as_usual(tmp_path):
    for mode in ("none", "closed"):
        folder = tmp_path / mode
        folder.mkdir()
        seen = _probe(folder, mode)
        assert not seen["forked"] and seen["ppid"] == seen["me"], mode  # the kernel manager's own child
        assert seen["images"] == 1 and seen["child"] == 3 and seen["stopped"], mode


def test_kernel_arguments_are_found_only_for_ipykernel():
    assert kernel_arguments(["python", "-m", "ipykernel_launcher", "-f", "c.json"]) == ["-f", "c.json"]
    assert kernel_arguments(["python", "-m", "other_launcher", "-f", "c.json"]) is None
    assert kernel_arguments(["python", "-m"]) is None


def test_a_forked_kernel_handle_sees_its_process_end():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    handle = ForkedKernel(child.pid)
    assert handle.poll() is None
    handle.kill()
    child.wait()  # (here the test is the parent; under the server the system reaps it)
    assert handle.poll() is not None and handle.wait(timeout=5) == 0


def test_no_server_from_a_process_that_has_chosen_its_figures_backend():
    code = ("import matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\n"
            "from cchc_analysis.kernel_server import KernelServer\n"
            "first = KernelServer.start()\nok = first is not None\nfirst.close()\n"
            "plt.figure()\nprint(ok, KernelServer.start() is None)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["True", "True"], done.stderr[-2000:]


def test_a_forked_kernel_stops_when_its_server_is_gone(tmp_path):
    code = textwrap.dedent("""
        import json, os, signal, sys, time
        from pathlib import Path
        from jupyter_client.connect import write_connection_file
        from cchc_analysis.kernel_server import KernelServer
        server = KernelServer.start()
        conn, _ = write_connection_file(str(Path(sys.argv[1]) / "k.json"))
        kernel = server.launch(["-f", conn], dict(os.environ), sys.argv[1], Path(sys.argv[1]) / "err.txt")
        time.sleep(1.5)
        alive = kernel.poll() is None
        os.kill(server._process.pid, signal.SIGKILL)  # the server dies without a word
        for _ in range(100):
            if kernel.poll() is not None:
                break
            time.sleep(0.1)
        print(json.dumps([alive, kernel.poll() is not None]))
    """)
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert json.loads(done.stdout.splitlines()[-1]) == [True, True], done.stderr[-2000:]
