using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Vae.MLNet.Tests")]
