namespace Vae.MLNet.Tests.Packaging;

/// <summary>The Program.cs of the console apps the packaging tests build, written as a user of the package would.</summary>
internal static class ConsumerPrograms
{
    /// <summary>
    /// <c>train &lt;folder&gt;</c>: writes data.csv (three classes in 6 features), fits LoadFromTextFile → Concatenate →
    /// NormalizeMinMax → VaeEncode → OneVersusAll(FastTree) on LatentMean, evaluates, saves model.zip, converts the
    /// encoding part (Concatenate → NormalizeMinMax → VaeEncode) to encoder.onnx with OnnxConverter, and writes
    /// what the in-memory model predicts for every row: train-engine.tsv (PredictionEngine) and train-transform.tsv
    /// (the batched Transform). Both commands first print the Microsoft.ML version the process loaded. <c>load &lt;folder&gt;</c>: a fresh MLContext loads model.zip and writes what a
    /// PredictionEngine predicts for the same rows to load-engine.tsv. Each line: predicted class, then LatentMean.
    /// </summary>
    public const string TrainAndLoad = """
        using System.Globalization;
        using System.Reflection;
        using Microsoft.ML;
        using Microsoft.ML.Data;
        using Vae.MLNet;

        if (args.Length != 2 || (args[0] != "train" && args[0] != "load"))
        {
            Console.Error.WriteLine("usage: Consumer train|load <folder>");
            return 2;
        }
        string folder = args[1];
        string csv = Path.Combine(folder, "data.csv"), modelPath = Path.Combine(folder, "model.zip");
        Console.WriteLine("Microsoft.ML: " + typeof(MLContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);

        if (args[0] == "train")
        {
            Directory.CreateDirectory(folder);
            Data.WriteCsv(csv, rows: 300, seed: 7);
            var ml = new MLContext(seed: 1);
            IDataView data = ml.Data.LoadFromTextFile<Row>(csv, separatorChar: ',', hasHeader: true);
            var encoding = ml.Transforms.Concatenate("Features", "F0", "F1", "F2", "F3", "F4", "F5")
                .Append(ml.Transforms.NormalizeMinMax("Features"))
                .Append(ml.Transforms.VaeEncode(new VaeOptions
                {
                    InputColumnName = "Features", LatentDimension = 2, HiddenDimensions = [16], Epochs = 20, BatchSize = 32,
                    LearningRate = 5e-3, Seed = 3, TrainingThreads = 1,   // tiny batches: one thread wastes least on a busy machine
                }));
            var classification = ml.Transforms.Conversion.MapValueToKey("Label")
                .Append(ml.MulticlassClassification.Trainers.OneVersusAll(
                    ml.BinaryClassification.Trainers.FastTree(featureColumnName: "LatentMean",
                        numberOfLeaves: 4, numberOfTrees: 20, minimumExampleCountPerLeaf: 5)))
                .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel"));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var encoder = encoding.Fit(data);
            var model = encoder.Append(classification.Fit(encoder.Transform(data)));
            double fit = clock.Elapsed.TotalSeconds;
            IDataView scored = model.Transform(data);
            var metrics = ml.MulticlassClassification.Evaluate(scored);
            Console.WriteLine("MicroAccuracy: " + metrics.MicroAccuracy.ToString("R", CultureInfo.InvariantCulture));
            double evaluate = clock.Elapsed.TotalSeconds - fit;
            ml.Model.Save(model, data.Schema, modelPath);
            Console.WriteLine("Saved: " + modelPath);
            string onnxPath = Path.Combine(folder, "encoder.onnx");
            using (var onnx = File.Create(onnxPath))
                ml.Model.ConvertToOnnx(encoder, data, onnx);
            Console.WriteLine("Onnx: " + new FileInfo(onnxPath).Length + " bytes");

            var engine = ml.Model.CreatePredictionEngine<Row, Prediction>(model);
            Data.WritePredictions(Path.Combine(folder, "train-engine.tsv"), Data.Rows(ml, csv).Select(engine.Predict));
            Data.WritePredictions(Path.Combine(folder, "train-transform.tsv"), ml.Data.CreateEnumerable<Prediction>(scored, reuseRowObject: false));
            Console.WriteLine(FormattableString.Invariant($"Timing: fit {fit:F1} s, evaluate {evaluate:F1} s, save and predict {clock.Elapsed.TotalSeconds - fit - evaluate:F1} s"));
        }
        else
        {
            var ml = new MLContext();
            ITransformer model = ml.Model.Load(modelPath, out _);
            var engine = ml.Model.CreatePredictionEngine<Row, Prediction>(model);
            Data.WritePredictions(Path.Combine(folder, "load-engine.tsv"), Data.Rows(ml, csv).Select(engine.Predict));
            Console.WriteLine("Loaded: " + string.Join(" -> ", ((IEnumerable<ITransformer>)model).Select(t => t.GetType().Name)));
        }
        return 0;

        /// <summary>A row of data.csv.</summary>
        public sealed class Row
        {
            [LoadColumn(0)] public string Label { get; set; } = "";
            [LoadColumn(1)] public float F0 { get; set; }
            [LoadColumn(2)] public float F1 { get; set; }
            [LoadColumn(3)] public float F2 { get; set; }
            [LoadColumn(4)] public float F3 { get; set; }
            [LoadColumn(5)] public float F4 { get; set; }
            [LoadColumn(6)] public float F5 { get; set; }
        }

        /// <summary>What the pipeline predicts for a row.</summary>
        public sealed class Prediction
        {
            public string PredictedClass { get; set; } = "";
            public float[] LatentMean { get; set; } = [];
        }

        internal static class Data
        {
            // Three classes, each a cluster in 2-D, seen through a fixed linear map into 6 features plus noise.
            public static void WriteCsv(string path, int rows, int seed)
            {
                var random = new Random(seed);
                double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                (string Name, double X, double Y)[] classes = [("red", 3, 0), ("green", -1.5, 2.6), ("blue", -1.5, -2.6)];
                double[,] w = { { 1, 0.2 }, { -0.5, 1 }, { 0.3, -0.8 }, { 1, 1 }, { -1, 0.4 }, { 0.1, -1 } };
                using var writer = new StreamWriter(path);
                writer.WriteLine("Label,F0,F1,F2,F3,F4,F5");
                for (int i = 0; i < rows; i++)
                {
                    var c = classes[i % classes.Length];
                    double z0 = c.X + 0.8 * Normal(), z1 = c.Y + 0.8 * Normal();
                    var values = Enumerable.Range(0, 6).Select(j => (w[j, 0] * z0 + w[j, 1] * z1 + 0.2 * Normal()).ToString("R", CultureInfo.InvariantCulture));
                    writer.WriteLine(c.Name + "," + string.Join(",", values));
                }
            }

            public static IEnumerable<Row> Rows(MLContext ml, string csv) =>
                ml.Data.CreateEnumerable<Row>(ml.Data.LoadFromTextFile<Row>(csv, separatorChar: ',', hasHeader: true), reuseRowObject: false);

            public static void WritePredictions(string path, IEnumerable<Prediction> predictions)
            {
                using var writer = new StreamWriter(path);
                foreach (var p in predictions)
                    writer.WriteLine(p.PredictedClass + "\t" + string.Join("\t", p.LatentMean.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
            }
        }
        """;

    /// <summary>
    /// An app that references Microsoft.ML.TorchSharp 0.23.1 or 0.24.0 (both built against TorchSharp 0.102.7) beside Vae.MLNet: it
    /// runs a VaeEncode pipeline, constructs Microsoft.ML.TorchSharp's text-classification and object-detection
    /// estimators, binds every TorchSharp type and member Microsoft.ML.TorchSharp refers to, runs one training step of
    /// its AutoFormerV2 detection network with its FocalLoss (what its object-detection trainer does per batch) and a
    /// TextClassification Fit (stand-in encoder weights for the download), then reports which TorchSharp assemblies the
    /// process loaded. Failures of Microsoft.ML.TorchSharp's own code are printed, not thrown, for the test to check.
    /// </summary>
    public const string WithMicrosoftMLTorchSharp = """
        using System.Globalization;
        using System.Reflection;
        using System.Reflection.Metadata;
        using System.Reflection.Metadata.Ecma335;
        using System.Reflection.PortableExecutable;
        using Microsoft.ML;
        using Microsoft.ML.Data;
        using Microsoft.ML.Runtime;
        using Microsoft.ML.TorchSharp;
        using Microsoft.ML.TorchSharp.AutoFormerV2;
        using Microsoft.ML.TorchSharp.Loss;
        using Microsoft.ML.TorchSharp.NasBert;
        using TorchSharp;
        using Vae.MLNet;
        using static TorchSharp.torch;

        var inv = CultureInfo.InvariantCulture;
        var ml = new MLContext(seed: 1);

        // 1. A VaeEncode pipeline.
        var random = new Random(5);
        var rows = Enumerable.Range(0, 200).Select(i => new Row
        {
            Text = i % 2 == 0 ? "good" : "bad",
            Label = i % 2 == 0 ? "pos" : "neg",
            Features = Enumerable.Range(0, 6).Select(j => (float)(Math.Sin(0.1 * i + j) + 0.1 * random.NextDouble())).ToArray(),
        }).ToList();
        IDataView data = ml.Data.LoadFromEnumerable(rows);
        using var vae = ml.Transforms.VaeEncode(new VaeOptions { LatentDimension = 2, HiddenDimensions = [8], Epochs = 3, Seed = 1, TrainingThreads = 1 }).Fit(data);
        var encoded = ml.Data.CreateEnumerable<Encoded>(vae.Transform(data), reuseRowObject: false).ToList();
        bool finite = encoded.All(e => e.LatentMean.Length == 2 && e.LatentMean.All(float.IsFinite));
        Console.WriteLine($"VaeEncode: {encoded.Count} rows, finite={finite}");

        // 2. Microsoft.ML.TorchSharp's estimators.
        var text = ml.MulticlassClassification.Trainers.TextClassification(sentence1ColumnName: "Text", maxEpochs: 1);
        Console.WriteLine("TextClassification: " + text.GetType().FullName);
        var detection = ml.MulticlassClassification.Trainers.ObjectDetection(maxEpoch: 1);
        Console.WriteLine("ObjectDetection: " + detection.GetType().FullName);

        // 3. Every TorchSharp type and member Microsoft.ML.TorchSharp's IL refers to, bound against the TorchSharp loaded here
        // (what the JIT does when a method first runs): the ones the runtime cannot find, one line each.
        var mlts = typeof(TorchSharpCatalog).Assembly;
        using (var pe = new PEReader(File.OpenRead(mlts.Location)))
        {
            var md = pe.GetMetadataReader();
            int types = 0, members = 0;
            var missing = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var handle in md.TypeReferences)
            {
                if (!FromTorchSharp(md, handle)) continue;
                types++;
                try { mlts.ManifestModule.ResolveType(MetadataTokens.GetToken(handle)); }
                catch (TypeLoadException e) { missing.Add("type " + e.Message); }
            }
            foreach (var handle in md.MemberReferences)
            {
                // Members of TorchSharp types, and of generic instantiations (Module<Tensor, Tensor>, ...): those count
                // when they resolve into TorchSharp, and any that does not resolve is reported.
                var parent = md.GetMemberReference(handle).Parent;
                if (parent.Kind == HandleKind.TypeReference && !FromTorchSharp(md, (TypeReferenceHandle)parent)) continue;
                if (parent.Kind != HandleKind.TypeReference && parent.Kind != HandleKind.TypeSpecification) continue;
                try
                {
                    var member = mlts.ManifestModule.ResolveMember(MetadataTokens.GetToken(handle));
                    if (member?.DeclaringType?.Assembly.GetName().Name == "TorchSharp") members++;
                }
                catch (ArgumentException) { }   // a member of an open generic type: bound only inside its generic method
                catch (MissingMemberException e) { missing.Add("member " + e.Message); }
                catch (TypeLoadException e) { missing.Add("type " + e.Message); }
            }
            Console.WriteLine($"TorchSharp references of Microsoft.ML.TorchSharp: {types} types, {members} members, {missing.Count} not found");
            foreach (string line in missing) Console.WriteLine("Not found: " + line);
        }

        // 4. One training step of its detection network, as its trainer runs it (its network configuration, FocalLoss, Adam).
        torch.manual_seed(1);
        using (torch.NewDisposeScope())
        {
            var net = new AutoFormerV2(3, embedChannels: [64, 128, 256, 448], depths: [2, 2, 6, 2], numHeads: [2, 4, 8, 14], device: torch.CPU);
            var focal = new FocalLoss();
            var optimizer = torch.optim.Adam(net.parameters(), lr: 1e-3);
            var first = net.parameters().First();
            var before = first.detach().clone();
            var images = torch.rand(1, 3, 128, 128);
            var boxes = torch.tensor(new float[] { 16, 16, 80, 96, 1 }).reshape(1, 1, 5);   // x1, y1, x2, y2, class
            net.train();
            try
            {
                var (classification, regression, anchors) = net.forward(images);
                var loss = focal.forward(classification, regression, anchors, boxes);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                double change = (first.detach() - before).abs().max().ToDouble();
                Console.WriteLine($"AutoFormerV2 step: loss={loss.ToDouble().ToString("R", inv)} parameterChange={change.ToString("R", inv)}");
            }
            catch (MissingMemberException e)
            {
                Console.WriteLine($"AutoFormerV2 step failed: {e.GetType().Name}: {e.Message}");
            }
        }

        // 5. Its own training: TextClassification's Fit, with stand-in weights for the pretrained NasBert encoder it would
        // download (this machine has no network): a randomly initialised encoder of the same shape, saved where the
        // trainer looks first (<TempFilePath>/mlnet/NasBert2000000.tsm). Built through its internal types (reflection).
        try
        {
            const BindingFlags any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
            var textMl = new MLContext(seed: 1) { TempFilePath = Path.Combine(AppContext.BaseDirectory, "mlnet-temp") };
            using (var channel = ((IChannelProvider)textMl).Start("stand-in weights"))
            {
                var tokenizers = mlts.GetType("Microsoft.ML.TorchSharp.Extensions.TokenizerExtensions", throwOnError: true)!;
                object tokenizer = tokenizers.GetMethod("GetInstance", any)!.Invoke(null, [channel])!;
                var roberta = (Microsoft.ML.Tokenizers.EnglishRobertaTokenizer)tokenizers.GetMethod("RobertaModel", any)!.Invoke(null, [tokenizer])!;
                var modelType = mlts.GetType("Microsoft.ML.TorchSharp.NasBert.Models.ModelForPrediction", throwOnError: true)!;
                object model = modelType.GetConstructors(any).Single().Invoke([new TextClassificationTrainer.TextClassificationOptions(), roberta.PadIndex, roberta.SymbolsCount, 2]);
                var encoder = (torch.nn.Module)modelType.GetMethod("GetEncoder", any)!.Invoke(model, null)!;
                Directory.CreateDirectory(Path.Combine(textMl.TempFilePath, "mlnet"));
                encoder.save(Path.Combine(textMl.TempFilePath, "mlnet", "NasBert2000000.tsm"));
            }
            var textData = textMl.Data.LoadFromEnumerable(rows.Take(16));
            var textModel = textMl.Transforms.Conversion.MapValueToKey("Label")
                .Append(textMl.MulticlassClassification.Trainers.TextClassification(sentence1ColumnName: "Text", maxEpochs: 1, batchSize: 4))
                .Fit(textData);
            Console.WriteLine("TextClassification Fit: ok");
        }
        catch (Exception e) when (e is not TargetInvocationException)
        {
            string at = e.StackTrace?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("at Microsoft.ML.TorchSharp.", StringComparison.Ordinal)) ?? "";
            Console.WriteLine($"TextClassification Fit failed: {e.GetType().Name}: {e.Message} ({at})");
        }
        // Why, in TorchSharp 0.107: an in-place initialiser returns the tensor it was given, so code that disposes its
        // result (Microsoft.ML.TorchSharp's `using var x = torch.nn.init.xavier_uniform_(weight)`) disposes the weight.
        using (var probe = torch.zeros(3))
            Console.WriteLine("torch.nn.init.zeros_ returns its argument: " + ReferenceEquals(torch.nn.init.zeros_(probe), probe));

        // 6. Which TorchSharp the process runs, and which one Microsoft.ML.TorchSharp was compiled against.
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name == "TorchSharp"))
            Console.WriteLine($"Loaded TorchSharp: {assembly.GetName().Version} {assembly.Location}");
        var compiledAgainst = typeof(TorchSharpCatalog).Assembly.GetReferencedAssemblies().Single(a => a.Name == "TorchSharp");
        Console.WriteLine($"Microsoft.ML.TorchSharp references TorchSharp {compiledAgainst.Version}");
        Console.WriteLine($"Vae.MLNet references TorchSharp {typeof(VaeOptions).Assembly.GetReferencedAssemblies().Single(a => a.Name == "TorchSharp").Version}");

        // Whether a type reference (nested ones through their outer type) resolves into the TorchSharp assembly.
        static bool FromTorchSharp(MetadataReader md, TypeReferenceHandle handle)
        {
            var scope = md.GetTypeReference(handle).ResolutionScope;
            while (scope.Kind == HandleKind.TypeReference) scope = md.GetTypeReference((TypeReferenceHandle)scope).ResolutionScope;
            return scope.Kind == HandleKind.AssemblyReference && md.GetString(md.GetAssemblyReference((AssemblyReferenceHandle)scope).Name) == "TorchSharp";
        }

        /// <summary>An input row.</summary>
        public sealed class Row
        {
            public string Text { get; set; } = "";
            public string Label { get; set; } = "";
            [VectorType(6)] public float[] Features { get; set; } = [];
        }

        /// <summary>The VAE's output read back.</summary>
        public sealed class Encoded
        {
            public float[] LatentMean { get; set; } = [];
        }
        """;
}
