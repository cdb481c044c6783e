"""
nbconvert's ExecutePreprocessor for Deno's Jupyter kernel, which sometimes publishes a cell's execute_result or
display_data *after* its `status: idle` message (seen with Deno 2.9.6 in about one cell in six). nbclient stops
reading a cell's output at idle, so those charts would be silently missing from the executed notebook. This
subclass keeps reading the cell's IOPub messages for a short grace period after idle. Used by
scripts/run-notebook.sh through `--Exporter.preprocessors=deno_execute.DenoExecutePreprocessor`.
"""
from queue import Empty

from nbclient.exceptions import CellExecutionComplete
from nbclient.util import ensure_async
from nbconvert.preprocessors import ExecutePreprocessor
from traitlets import Float


class DenoExecutePreprocessor(ExecutePreprocessor):
    late_output_grace = Float(
        0.3, help="Seconds to keep collecting a cell's outputs after the kernel reported idle."
    ).tag(config=True)

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        await super()._async_poll_output_msg(parent_msg_id, cell, cell_index)
        # The next cell is not sent before this returns, so whatever arrives now belongs to this cell or to none.
        while True:
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=self.late_output_grace))
            except Empty:
                return
            if msg["parent_header"].get("msg_id") == parent_msg_id:
                self.log.debug("late output after idle: %s", msg["msg_type"])
                try:
                    self.process_message(msg, cell, cell_index)
                except CellExecutionComplete:
                    pass
