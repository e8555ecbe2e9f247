"""NOTES.txt renders for every values file (helm template skips it; only install would show an error)."""
import shutil
import unittest

from helmtest import CHART, VALUES_FILES, label, render, tempdir

PROBE = """apiVersion: v1
kind: ConfigMap
metadata:
  name: notes-probe
data:
  notes: {{ tpl (.Files.Get "notes-probe.txt") . | quote }}
"""


class NotesTest(unittest.TestCase):
    def test_notes_render(self):
        with tempdir() as tmp:
            chart = f"{tmp}/tencentcloud-org-exporter"
            shutil.copytree(CHART, chart, symlinks=False)
            shutil.copy(f"{chart}/templates/NOTES.txt", f"{chart}/notes-probe.txt")
            with open(f"{chart}/templates/notes-probe.yaml", "w") as f:
                f.write(PROBE)
            for values_file in VALUES_FILES:
                with self.subTest(values=label(values_file)):
                    (cm,) = [d for d in render(values_file, chart=chart) if d["metadata"]["name"] == "notes-probe"]
                    notes = cm["data"]["notes"]
                    self.assertIn("port-forward svc/", notes)
                    if values_file is None:
                        self.assertIn("WARNING: no credentials configured", notes)
                    else:
                        self.assertNotIn("WARNING", notes)


if __name__ == "__main__":
    unittest.main()
