using SharpFuzz;
using Vae.MLNet.Fuzz;

// tests/fuzz/run.sh drives this (see tests/fuzz/README.md):
//   Vae.MLNet.Fuzz <target>                    the AFL++ target, reading inputs from afl-fuzz (SharpFuzz's out-of-process
//                                              runner: a child process that dies is restarted, so a native crash is a
//                                              finding, not the end of the run)
//   Vae.MLNet.Fuzz <target> seeds <folder>     writes the target's seed inputs
//   Vae.MLNet.Fuzz <target> replay <files...>  runs each input once and says what happened (exit code 1 if any crashed)
//   Vae.MLNet.Fuzz <target> export <in> <out>  writes the file an input stands for (a model or checkpoint zip), for the corpus
// Targets: "model" (the VAE's entries through MLContext.Model.Load) and "checkpoint" (a training checkpoint's restore).
if (args.Length == 0 || Targets.Create(args[0]) is not { } target)
{
    Console.Error.WriteLine("usage: Vae.MLNet.Fuzz model|checkpoint [seeds <folder> | replay <files...> | export <input> <output>]");
    return 2;
}
if (args.Length >= 3 && args[1] == "seeds")
{
    Directory.CreateDirectory(args[2]);
    foreach (var (name, bytes) in target.Seeds())
        File.WriteAllBytes(Path.Combine(args[2], name), bytes);
    return 0;
}
if (args.Length == 4 && args[1] == "export")
{
    File.WriteAllBytes(args[3], target.Export(File.ReadAllBytes(args[2])));
    return 0;
}
if (args.Length >= 2 && args[1] == "replay")
{
    int crashed = 0;
    foreach (string file in args[2..])
    {
        try
        {
            Console.WriteLine($"{file}: clean, {target.Run(File.ReadAllBytes(file))}");
        }
        catch (Exception e)
        {
            crashed++;
            Console.WriteLine($"{file}: CRASH {e.GetType().Name}: {e.Message}\n{e}");
        }
    }
    return crashed == 0 ? 0 : 1;
}
Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    _ = target.Run(buffer.ToArray());
});
return 0;
