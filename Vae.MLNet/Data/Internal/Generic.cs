using System.Reflection;

namespace Vae.MLNet.Data;

/// <summary>Calls a generic method with a type argument known only at run time (setup paths only, never per row).</summary>
internal static class Generic
{
    /// <summary>Invokes the generic method behind <paramref name="template"/> with <paramref name="typeArguments"/>; exceptions pass through unwrapped.</summary>
    public static TResult Invoke<TResult>(Delegate template, Type[] typeArguments, params object?[] args)
    {
        var method = template.Method.GetGenericMethodDefinition().MakeGenericMethod(typeArguments);
        return (TResult)method.Invoke(template.Target, BindingFlags.DoNotWrapExceptions, null, args, null)!;
    }

    /// <summary>Invokes the generic method behind <paramref name="template"/> with one type argument.</summary>
    public static TResult Invoke<TResult>(Delegate template, Type typeArgument, params object?[] args) =>
        Invoke<TResult>(template, [typeArgument], args);
}
