using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Vae.MLNet.Tests.Architecture;

/// <summary>
/// The direction of references around the acceleration door (Vae.MLNet.Acceleration): its kernels know nothing of the
/// model, and the model knows only the door. Checked in the compiled library: every type a type's signatures, fields,
/// base types, attributes and method bodies name.
/// </summary>
[TestClass]
public sealed class AccelerationDirectionTests
{
    private const string Acceleration = "Vae.MLNet.Acceleration";

    /// <summary>The model's namespaces: Acceleration may not reference them, and they may reach Acceleration only through the door.</summary>
    private static readonly string[] Model =
        ["Vae.MLNet.Networks", "Vae.MLNet.Training", "Vae.MLNet.Mapping", "Vae.MLNet.Inference", "Vae.MLNet.Autoencoder", "Vae.MLNet"];

    /// <summary>The door: the interface, the choice between its implementations, and the neutral description of an encoder.</summary>
    private static readonly HashSet<string> Door =
    [
        $"{Acceleration}.IAcceleration", $"{Acceleration}.IAdamStep", $"{Acceleration}.IDenseEncoder", $"{Acceleration}.Accelerations",
        $"{Acceleration}.DenseEncoderDescription", $"{Acceleration}.DenseLayerDescription", $"{Acceleration}.BatchNormDescription",
    ];

    [TestMethod]
    public void TheKernelsReferenceNothingOfTheModelAndTheModelOnlyTheDoor()
    {
        using var library = AssemblyDefinition.ReadAssembly(typeof(VaeTransformer).Assembly.Location);
        var findings = Violations(library.MainModule.GetTypes());
        Assert.IsEmpty(findings, string.Join(Environment.NewLine, findings));
    }

    [TestMethod]
    public void TheCheckFindsAPlantedViolationEachWay()
    {
        using var tests = AssemblyDefinition.ReadAssembly(typeof(AccelerationDirectionTests).Assembly.Location);
        var planted = tests.MainModule.GetTypes().Where(t => t.FullName.StartsWith(typeof(PlantedViolations).FullName!, StringComparison.Ordinal)).ToArray();
        // Read as if they sat in the library's namespaces.
        var findings = Violations(planted, type => type.Name == nameof(PlantedViolations.InAcceleration) ? Acceleration : "Vae.MLNet.Networks");
        Assert.IsTrue(findings.Any(f => f.Contains("Vae.MLNet.Networks.VaeNetwork", StringComparison.Ordinal)), string.Join(Environment.NewLine, findings));
        Assert.IsTrue(findings.Any(f => f.Contains("Vae.MLNet.Acceleration.Gemm.PackedGemm", StringComparison.Ordinal)), string.Join(Environment.NewLine, findings));
        Assert.IsFalse(findings.Any(f => f.Contains("IAcceleration", StringComparison.Ordinal)), "the door itself is allowed");
    }

    private static List<string> Violations(IEnumerable<TypeDefinition> types, Func<TypeDefinition, string>? namespaceOf = null)
    {
        namespaceOf ??= NamespaceOf;
        var findings = new List<string>();
        foreach (var type in types)
        {
            string home = namespaceOf(type);
            bool inAcceleration = IsIn(home, Acceleration);
            bool inModel = !inAcceleration && Model.Any(m => home == m || (m != "Vae.MLNet" && IsIn(home, m)));
            if (!inAcceleration && !inModel) continue;
            foreach (var referenced in References(type).Select(r => r.GetElementType()).Where(IsTheLibrarys).Select(r => r.FullName).Distinct())
            {
                string target = NamespaceOf(referenced);
                if (inAcceleration && Model.Any(m => target == m || (m != "Vae.MLNet" && IsIn(target, m))))
                    findings.Add($"{type.FullName} (acceleration) references {referenced} (the model)");
                if (inModel && IsIn(target, Acceleration) && !Door.Contains(referenced.Split('/')[0]))
                    findings.Add($"{type.FullName} ({home}) references {referenced} behind the door");
            }
        }
        return findings;
    }

    // A type of the library: defined in the module read (the library itself), or referenced from another (the planted types).
    private static bool IsTheLibrarys(TypeReference reference) =>
        reference is TypeDefinition { Module.Assembly.Name.Name: "Vae.MLNet" } || reference.Scope is ModuleDefinition { Assembly.Name.Name: "Vae.MLNet" }
        || reference.Scope.Name == "Vae.MLNet";

    private static bool IsIn(string name, string ns) => name == ns || name.StartsWith(ns + ".", StringComparison.Ordinal);

    private static string NamespaceOf(TypeDefinition type)
    {
        var t = type;
        while (t.DeclaringType is not null) t = t.DeclaringType;
        return t.Namespace;
    }

    // "A.B.C/Nested" → "A.B"; generic arguments dropped.
    private static string NamespaceOf(string fullName)
    {
        string outer = fullName.Split('/')[0].Split('<')[0].Split('`')[0];
        int dot = outer.LastIndexOf('.');
        return dot < 0 ? "" : outer[..dot];
    }

    private static IEnumerable<TypeReference> References(TypeDefinition type)
    {
        var found = new List<TypeReference>();
        void Add(TypeReference? reference)
        {
            if (reference is null) return;
            if (reference is GenericInstanceType generic) foreach (var argument in generic.GenericArguments) Add(argument);
            if (reference is TypeSpecification specification) { Add(specification.ElementType); return; }
            if (reference is GenericParameter) return;
            found.Add(reference);
        }
        void AddMethod(MethodReference method)
        {
            Add(method.DeclaringType);
            Add(method.ReturnType);
            foreach (var parameter in method.Parameters) Add(parameter.ParameterType);
            if (method is GenericInstanceMethod generic) foreach (var argument in generic.GenericArguments) Add(argument);
        }
        Add(type.BaseType);
        foreach (var implemented in type.Interfaces) Add(implemented.InterfaceType);
        foreach (var attribute in type.CustomAttributes) Add(attribute.AttributeType);
        foreach (var field in type.Fields) Add(field.FieldType);
        foreach (var property in type.Properties) Add(property.PropertyType);
        foreach (var method in type.Methods)
        {
            AddMethod(method);
            if (!method.HasBody) continue;
            foreach (var variable in method.Body.Variables) Add(variable.VariableType);
            foreach (var instruction in method.Body.Instructions)
                switch (instruction.Operand)
                {
                    case TypeReference t: Add(t); break;
                    case MethodReference m: AddMethod(m); break;
                    case FieldReference f: Add(f.DeclaringType); Add(f.FieldType); break;
                }
        }
        return found;
    }
}

/// <summary>Two types that break the rule, each way, for <see cref="AccelerationDirectionTests.TheCheckFindsAPlantedViolationEachWay"/>.</summary>
internal static class PlantedViolations
{
    /// <summary>Read as a type of Vae.MLNet.Acceleration: it names the network.</summary>
    internal static class InAcceleration
    {
        public static int Latent(Vae.MLNet.Networks.VaeNetwork network) => network.Spec.LatentDimension;
    }

    /// <summary>Read as a type of Vae.MLNet.Networks: it names a kernel behind the door, and the door.</summary>
    internal static class InNetworks
    {
        public static bool Preferred(Vae.MLNet.Acceleration.IAcceleration door) => door.UsesOwnKernels && Vae.MLNet.Acceleration.Gemm.PackedGemm.IsPreferred;
    }
}
