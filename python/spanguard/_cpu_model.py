"""What GLiNER (v1) and GLiNER2 share as loaded CPU models: the torch-style `to` / `eval` /
`device` calls their upstream packages' users write, and the folder the weights came from."""

from . import _checks


class CpuModel:
    """Base of the loaded-model classes; `self._model` is the engine object, which has a
    `directory`. Upstream code moves models between devices and switches them to inference mode;
    here the model always lives on the CPU and always infers, so those calls change nothing."""

    __slots__ = ()

    def to(self, device):
        """Upstream compatibility: the model already lives on the CPU; "cpu" returns self, other
        devices raise ValueError."""
        _checks.device(device)
        return self

    def eval(self):
        """Upstream compatibility (torch's inference mode switch): a no-op returning self."""
        return self

    @property
    def device(self):
        """Always "cpu"."""
        return "cpu"

    @property
    def directory(self):
        """The checkpoint folder the model was loaded from (the cached snapshot for a Hub id)."""
        return self._model.directory
