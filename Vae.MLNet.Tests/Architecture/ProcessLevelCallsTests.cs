using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Vae.MLNet.Tests.Architecture;

/// <summary>
/// Every call that changes the host process (malloc's settings, the environment, libtorch's process-wide thread count)
/// is made in one folder, Runtime/, whose FitProcessScope applies them for a Fit's duration only: checked in the
/// compiled library, so no other folder declares such a native function or calls such a method.
/// </summary>
[TestClass]
public sealed class ProcessLevelCallsTests
{
    private static readonly HashSet<string> NativeFunctions = ["mallopt", "malloc_trim", "setenv", "putenv", "unsetenv"];
    private static readonly HashSet<string> ManagedMethods =
    [
        "TorchSharp.torch::set_num_threads", "TorchSharp.torch::set_num_interop_threads", "System.Environment::SetEnvironmentVariable",
        "System.AppContext::SetSwitch",
    ];

    private const string Runtime = "Vae.MLNet.Runtime";

    [TestMethod]
    public void OnlyRuntimeChangesTheProcess()
    {
        using var library = AssemblyDefinition.ReadAssembly(typeof(VaeTransformer).Assembly.Location);
        var findings = new List<string>();
        foreach (var type in library.MainModule.GetTypes().Where(t => !InRuntime(t)))
            foreach (var method in type.Methods)
            {
                if (method.IsPInvokeImpl && NativeFunctions.Contains(method.PInvokeInfo?.EntryPoint ?? method.Name))
                    findings.Add($"{type.FullName} declares {method.PInvokeInfo?.EntryPoint ?? method.Name}");
                if (!method.HasBody) continue;
                foreach (var instruction in method.Body.Instructions)
                    if (instruction.OpCode.FlowControl == FlowControl.Call && instruction.Operand is MethodReference callee
                        && ManagedMethods.Contains($"{callee.DeclaringType.FullName}::{callee.Name}"))
                        findings.Add($"{type.FullName}.{method.Name} calls {callee.DeclaringType.FullName}.{callee.Name}");
            }
        Assert.IsEmpty(findings, $"Process-level calls outside {Runtime}:{Environment.NewLine}{string.Join(Environment.NewLine, findings)}");
    }

    private static bool InRuntime(TypeDefinition type)
    {
        for (var t = type; t is not null; t = t.DeclaringType)
            if (t.Namespace == Runtime) return true;
        return false;
    }
}
