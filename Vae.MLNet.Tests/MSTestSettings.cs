// Tests in different classes may run in parallel; classes that share process-wide state opt out with [DoNotParallelize].
[assembly: Parallelize(Workers = 2, Scope = ExecutionScope.ClassLevel)]
