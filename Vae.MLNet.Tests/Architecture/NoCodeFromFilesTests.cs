using System.Reflection;
using System.Text.Json.Serialization;

namespace Vae.MLNet.Tests.Architecture;

/// <summary>
/// Loading a model or checkpoint executes nothing but our own parsing: the library calls no API that turns a string
/// (which could come from a file) into a type, an assembly or code, and its JSON types declare no polymorphism (so
/// System.Text.Json picks no type by a discriminator read from Vae.json). Checked on the compiled IL of every method.
/// </summary>
/// <remarks>
/// What ML.NET itself does with a model zip is its own: ModelLoadContext reads the loader signature and the loader's
/// assembly name from each Model.key, calls Assembly.Load on that name (resolved by the runtime's probing, not a path)
/// and instantiates only a class registered for that signature with [LoadableClass] in that assembly. Our header names
/// Vae.MLNet and "VaeTransformer", which reach <c>VaeModelFile.Create</c>; nothing the VAE's loader reads after that names a type.
/// </remarks>
[TestClass]
public sealed class NoCodeFromFilesTests
{
    private static readonly (string Type, string? Member)[] Forbidden =
    [
        ("System.Reflection.Assembly", "Load"), ("System.Reflection.Assembly", "LoadFrom"), ("System.Reflection.Assembly", "LoadFile"),
        ("System.Reflection.Assembly", "UnsafeLoadFrom"), ("System.Runtime.Loader.AssemblyLoadContext", null), ("System.AppDomain", "CreateInstance"),
        ("System.AppDomain", "CreateInstanceAndUnwrap"), ("System.Activator", "CreateInstanceFrom"), ("System.Type", "InvokeMember"),
        ("System.Runtime.Serialization.Formatters.Binary.BinaryFormatter", null), ("System.Xml.Serialization.XmlSerializer", null),
        ("System.Reflection.Emit.DynamicMethod", null), ("System.Reflection.Emit.ILGenerator", null),
    ];

    [TestMethod]
    public void TheLibraryCallsNoApiThatTurnsANameIntoATypeOrCode()
    {
        var library = typeof(VaeTransformer).Assembly;
        var found = new List<string>();
        int calls = 0;
        bool sawActivation = false;
        foreach (var type in library.GetTypes())
            foreach (var method in type.GetMethods(BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
                         .Cast<MethodBase>().Concat(type.GetConstructors(BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)))
                foreach (var callee in Callees(method))
                {
                    calls++;
                    sawActivation |= callee.DeclaringType == typeof(Activator) && callee.Name == nameof(Activator.CreateInstance);
                    if (IsForbidden(callee))
                        found.Add($"{type.FullName}.{method.Name} calls {callee.DeclaringType?.FullName}.{callee.Name}({string.Join(", ", callee.GetParameters().Select(p => p.ParameterType.Name))})");
                }
        Console.WriteLine($"{calls} calls scanned");
        Assert.IsGreaterThan(1000, calls, "the IL scan found almost no calls: it is broken");
        // ColumnBuffer makes buffers with Activator.CreateInstance(Type, ...) from a schema's runtime type: the scan sees it.
        Assert.IsTrue(sawActivation, "the IL scan missed ColumnBuffer's Activator.CreateInstance(Type, ...): it is broken");
        Assert.IsEmpty(found, string.Join("\n", found));
    }

    [TestMethod]
    public void NoJsonTypeOfTheLibraryIsPolymorphic()
    {
        var polymorphic = typeof(VaeTransformer).Assembly.GetTypes()
            .Where(t => t.IsDefined(typeof(JsonPolymorphicAttribute), false) || t.IsDefined(typeof(JsonDerivedTypeAttribute), false))
            .Select(t => t.FullName).ToArray();
        Assert.IsEmpty(polymorphic, string.Join(", ", polymorphic));
    }

    private static bool IsForbidden(MethodBase callee)
    {
        string type = callee.DeclaringType?.FullName ?? "";
        if (Forbidden.Any(f => f.Type == type && (f.Member is null || f.Member == callee.Name)))
            return true;
        // By name: Type.GetType(string, ...) and Activator.CreateInstance(string assembly, string type, ...); the
        // overloads taking a Type (made from a schema's runtime type, never from a string) are fine.
        var first = callee.GetParameters().FirstOrDefault()?.ParameterType;
        return first == typeof(string) && (type, callee.Name) is ("System.Type", "GetType") or ("System.Activator", "CreateInstance");
    }

    /// <summary>The methods a method's IL calls (call, callvirt, newobj, ldftn), resolved through its module.</summary>
    private static IEnumerable<MethodBase> Callees(MethodBase method)
    {
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (Exception e) when (e is InvalidOperationException or BadImageFormatException)
        {
            il = null;
        }
        if (il is null) yield break;
        for (int i = 0; i + 4 < il.Length; i++)
        {
            bool call = il[i] is 0x28 or 0x6F or 0x73 || (il[i] == 0xFE && il[i + 1] is 0x06 or 0x07);
            if (!call) continue;
            int at = il[i] == 0xFE ? i + 2 : i + 1;
            if (at + 4 > il.Length) continue;
            int token = BitConverter.ToInt32(il, at);
            // Method tokens: MethodDef (0x06), MemberRef (0x0A), MethodSpec (0x2B); anything else is not a call site.
            if ((token >> 24) is not (0x06 or 0x0A or 0x2B)) continue;
            MethodBase? callee;
            try
            {
                callee = method.Module.ResolveMethod(token, method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null,
                    method.IsGenericMethod ? method.GetGenericArguments() : null);
            }
            catch (Exception e) when (e is ArgumentException or MissingMethodException or BadImageFormatException or TypeLoadException)
            {
                callee = null;
            }
            if (callee is not null) yield return callee;
        }
    }
}
