namespace Vae.MLNet.Autoencoder;

/// <summary>The columns a fitted autoencoder reads and writes (saved with the model).</summary>
internal sealed record AutoencoderColumnNames(string Input, string Latent, string Reconstruction)
{
    public static AutoencoderColumnNames From(AutoencoderOptions o) => new(o.InputColumnName, o.LatentColumnName, o.ReconstructionColumnName);

    /// <exception cref="ArgumentException">A name is empty, or the two output columns share a name.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Input) || string.IsNullOrWhiteSpace(Latent) || string.IsNullOrWhiteSpace(Reconstruction))
            throw new ArgumentException("Every column needs a name.", nameof(Input));
        if (Latent == Reconstruction) throw new ArgumentException($"The output columns must differ: both are '{Latent}'.", nameof(Latent));
    }
}
