// Inline MSBuild task (compiled by RoslynCodeTaskFactory from PublicizeMLNet.targets).
// Writes copies of the given assemblies with their types and members made public, for the compiler only.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Mono.Cecil;

public sealed class PublicizeAssemblies : Task
{
    [Required] public ITaskItem[] Sources { get; set; } = Array.Empty<ITaskItem>();
    [Required] public string OutputDirectory { get; set; } = "";

    public override bool Execute()
    {
        Directory.CreateDirectory(OutputDirectory);
        foreach (var source in Sources)
        {
            var input = source.GetMetadata("FullPath");
            var output = Path.Combine(OutputDirectory, Path.GetFileName(input));
            var resolver = new DefaultAssemblyResolver();
            resolver.AddSearchDirectory(Path.GetDirectoryName(input));
            // InMemory: never hold (or touch) the file in the NuGet cache.
            using (var module = ModuleDefinition.ReadModule(input, new ReaderParameters { InMemory = true, AssemblyResolver = resolver }))
            {
                int types = 0, members = 0;
                foreach (var type in module.GetTypes())
                {
                    if (Skip(type.Name)) continue;
                    // Roslyn's embedded attributes (NullableAttribute, ...) stay internal, or every
                    // assembly that has its own copy would clash with ours (CS0433).
                    if (!IsPublic(type) && (type.Namespace.StartsWith("System") || type.Namespace.StartsWith("Microsoft.CodeAnalysis")))
                        continue;
                    if (!IsPublic(type)) { types++; Publicize(type); }
                    members += PublicizeMembers(type);
                }
                // Not re-signed: the compiler reads metadata only, and these files are never loaded.
                module.Attributes &= ~ModuleAttributes.StrongNameSigned;
                var temp = output + ".tmp";
                module.Write(temp);
                File.Copy(temp, output, overwrite: true);
                File.Delete(temp);
                Log.LogMessage(MessageImportance.Normal, "Publicized {0}: {1} types, {2} members -> {3}", Path.GetFileName(input), types, members, output);
            }
        }
        return !Log.HasLoggedErrors;
    }

    // Compiler-generated names (<>c, <Foo>k__BackingField, lambdas, <PrivateImplementationDetails>).
    static bool Skip(string name) => name.IndexOf('<') >= 0;

    static bool IsPublic(TypeDefinition t) => t.IsNested ? t.IsNestedPublic : t.IsPublic;

    static void Publicize(TypeDefinition t)
    {
        t.Attributes &= ~TypeAttributes.VisibilityMask;
        t.Attributes |= t.IsNested ? TypeAttributes.NestedPublic : TypeAttributes.Public;
    }

    static int PublicizeMembers(TypeDefinition type)
    {
        int n = 0;
        foreach (var m in type.Methods)
        {
            // Explicit interface implementations (private, named I.M) must stay as they are.
            if (Skip(m.Name) || m.HasOverrides) continue;
            var access = m.Attributes & MethodAttributes.MemberAccessMask;
            var wanted = MethodAttributes.Public;
            if (m.IsVirtual)
            {
                // Overridable members stay overridable with 'protected override': private protected
                // becomes protected; protected and protected internal are left alone (C# requires an
                // override to repeat the overridden member's accessibility).
                if (access == MethodAttributes.Family || access == MethodAttributes.FamORAssem) continue;
                if (access == MethodAttributes.FamANDAssem) wanted = MethodAttributes.Family;
            }
            if (access == wanted) continue;
            m.Attributes = (m.Attributes & ~MethodAttributes.MemberAccessMask) | wanted;
            n++;
        }
        // A field named like another member is a backing field (e.g. MLContext's event Log):
        // publicizing it would make every use of that member ambiguous (CS0229).
        var memberNames = new HashSet<string>(type.Methods.Select(m => m.Name)
            .Concat(type.Properties.Select(p => p.Name)).Concat(type.Events.Select(e => e.Name)));
        foreach (var f in type.Fields)
        {
            if (f.IsPublic || Skip(f.Name) || memberNames.Contains(f.Name)) continue;
            f.Attributes = (f.Attributes & ~FieldAttributes.FieldAccessMask) | FieldAttributes.Public;
            n++;
        }
        return n;
    }
}
