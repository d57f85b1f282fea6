using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Vae.MLNet.Tests.Architecture;

/// <summary>
/// Finds, in a compiled assembly, every place that makes a temporary TorchSharp Scalar: a call to one of Scalar's
/// implicit conversions (<c>tensor * 0.5</c> compiles to <c>op_Multiply(Tensor, Scalar)</c> after
/// <c>Scalar.op_Implicit(double)</c>), or a call to a TorchSharp member that makes one inside (<c>Tensor + Tensor</c>
/// is <c>add(other)</c>, which passes an implicit alpha of 1). Which TorchSharp members do is read from TorchSharp's
/// own IL, not listed by hand: a member that converts to Scalar without disposing a Scalar, and every member that
/// calls such a member, transitively. Explicit <c>ToScalar()</c> is the allowed way (the caller owns and disposes it).
/// </summary>
internal static class TemporaryScalarScan
{
    /// <summary>One temporary Scalar: the method that makes it, what it calls, and the source line when the pdb has one.</summary>
    public sealed record Finding(string Method, string Call, string? Source)
    {
        public override string ToString() => $"{Method} calls {Call}{(Source is null ? "" : $" at {Source}")}";
    }

    public static IReadOnlyList<Finding> Scan(string assemblyPath)
    {
        var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(assemblyPath)!);
        resolver.AddSearchDirectory(Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location)!);
        var parameters = new ReaderParameters { AssemblyResolver = resolver, ReadSymbols = File.Exists(Path.ChangeExtension(assemblyPath, ".pdb")) };
        using var library = AssemblyDefinition.ReadAssembly(assemblyPath, parameters);
        using var torchSharp = AssemblyDefinition.ReadAssembly(typeof(TorchSharp.torch).Assembly.Location, new ReaderParameters { AssemblyResolver = resolver });
        var makers = ScalarMakers(torchSharp);
        var findings = new List<Finding>();
        foreach (var method in library.MainModule.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody))
            foreach (var instruction in method.Body.Instructions)
            {
                if (instruction.Operand is not MethodReference callee || instruction.OpCode.FlowControl != FlowControl.Call) continue;
                bool implicitScalar = IsImplicitScalar(callee);
                if (!implicitScalar && !(callee.DeclaringType.Scope.Name.StartsWith("TorchSharp", StringComparison.Ordinal) && makers.Contains(Key(callee)))) continue;
                findings.Add(new Finding(Describe(method), Describe(callee), SourceOf(method, instruction)));
            }
        return findings;
    }

    /// <summary>TorchSharp's members that make a temporary Scalar, directly or through the members they call.</summary>
    private static HashSet<string> ScalarMakers(AssemblyDefinition torchSharp)
    {
        var methods = torchSharp.MainModule.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody).ToArray();
        var callers = new Dictionary<string, List<string>>();
        var makers = new HashSet<string>();
        foreach (var method in methods)
        {
            // The Scalar type and ToScalar are how a Scalar is made on purpose: not temporaries of themselves.
            if (method.DeclaringType.FullName is "TorchSharp.Scalar" or "TorchSharp.ScalarExtensionMethods") continue;
            string key = Key(method);
            var calls = method.Body.Instructions.Where(i => i.OpCode.FlowControl == FlowControl.Call && i.Operand is MethodReference)
                .Select(i => (MethodReference)i.Operand).ToArray();
            bool disposesAScalar = calls.Any(c => c.DeclaringType.FullName == "TorchSharp.Scalar" && c.Name == "Dispose");
            if (!disposesAScalar && calls.Any(IsImplicitScalar)) makers.Add(key);
            foreach (var callee in calls)
            {
                string calleeKey = Key(callee);
                if (!callers.TryGetValue(calleeKey, out var list)) callers[calleeKey] = list = [];
                list.Add(key);
            }
        }
        var pending = new Queue<string>(makers);
        while (pending.TryDequeue(out var maker))
            if (callers.TryGetValue(maker, out var list))
                foreach (var caller in list)
                    if (makers.Add(caller)) pending.Enqueue(caller);
        return makers;
    }

    private static bool IsImplicitScalar(MethodReference callee) =>
        callee.Name == "op_Implicit" && callee.ReturnType.FullName == "TorchSharp.Scalar";

    // The declaring type without generic instantiation, the name and the parameter types: one key per overload.
    private static string Key(MethodReference method)
    {
        var definition = method.GetElementMethod();
        return $"{definition.DeclaringType.GetElementType().FullName}::{definition.Name}({string.Join(",", definition.Parameters.Select(p => p.ParameterType.FullName))})";
    }

    private static string Describe(MethodReference method) =>
        $"{method.DeclaringType.FullName}.{method.Name}({string.Join(", ", method.Parameters.Select(p => p.ParameterType.Name))})";

    private static string? SourceOf(MethodDefinition method, Instruction instruction)
    {
        if (!method.DebugInformation.HasSequencePoints) return null;
        SequencePoint? point = null;
        foreach (var candidate in method.DebugInformation.SequencePoints)
        {
            if (candidate.Offset > instruction.Offset) break;
            if (!candidate.IsHidden) point = candidate;
        }
        return point is null ? null : $"{Path.GetFileName(point.Document.Url)}:{point.StartLine}";
    }
}
