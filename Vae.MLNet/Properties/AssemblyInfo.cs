using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Vae.MLNet.Tests")]
[assembly: InternalsVisibleTo("Vae.MLNet.Reporting")]
[assembly: InternalsVisibleTo("Vae.MLNet.Benchmarks")]
[assembly: InternalsVisibleTo("Vae.MLNet.Fuzz")]
