namespace Vae.MLNet.Torch;

/// <summary>Placeholder type removed once the binding lands.</summary>
internal static class TorchMarker { }
